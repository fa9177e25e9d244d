package dev.voicegate.ledger;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a make_call attempt asked for, written once before the request goes to Twilio. {@code id} identifies the
 * entry before its call SID is known. {@code relay} is null unless the caller's own callbacks are relayed.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CallAttempt(String id, String accountSid, String key, String surface, String to, String from,
        String url, String twiml, String idempotencyKey, String requestId, String traceId, Instant attemptedAt,
        boolean callbacks, Relay relay) {

    /** The caller's own callbacks, delivered by Voicegate when it asked Twilio for the events itself. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Relay(String statusCallback, String statusCallbackMethod, String recordingStatusCallback) {
    }
}
