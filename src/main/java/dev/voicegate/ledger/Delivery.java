package dev.voicegate.ledger;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One relayed callback to the caller's own URL: which ({@code status_callback} or {@code recording_status_callback}),
 * its outcome ({@code delivered}, {@code failed} or {@code refused}), the attempts made and the last HTTP status.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Delivery(String target, String event, String outcome, int attempts, Integer httpStatus, Instant at,
        String detail) {
}
