package dev.voicegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.dnc.DoNotCallEntry;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One do-not-call operation: the envelope and the entry (PUT, GET), whether the PUT listed a new number
 * ({@code created}), whether the DELETE removed one ({@code removed}); what does not apply is left out.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DoNotCallOutput(boolean success, @JsonInclude(JsonInclude.Include.ALWAYS) String error, DoNotCallEntry entry, Boolean created, Boolean removed) {
}
