package dev.voicegate.twilio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A (legacy) transcription of a recording. {@code transcription_text} may be null even when completed. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TwilioTranscription(
        String sid,
        String recordingSid,
        String status,
        String transcriptionText,
        String price,
        String priceUnit,
        String dateCreated) {
}
