package dev.voicegate.ledger;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a fetch of the final call resource adds: duration, price, answered_by; recording SIDs when known. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CallDetails(String duration, String price, String priceUnit, String answeredBy, List<String> recordingSids) {
}
