package dev.voicegate.voice;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Output of get_recording; {@code transcription_*} come from the most recent transcription, null without one. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GetRecordingOutput(
        boolean success,
        String error,
        String recordingSid,
        String callSid,
        Integer duration,
        String status,
        Integer channels,
        String source,
        String mediaUrl,
        String price,
        String priceUnit,
        String uri,
        String transcriptionText,
        String transcriptionStatus,
        String transcriptionPrice,
        String transcriptionPriceUnit) implements ActionOutput {

    public static GetRecordingOutput failure(String error) {
        return new GetRecordingOutput(false, error, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
