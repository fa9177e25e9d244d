package dev.voicegate.twilio;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of a recordings list. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TwilioRecordingPage(List<TwilioRecording> recordings, String nextPageUri) {

    public List<TwilioRecording> recordingsOrEmpty() {
        return recordings == null ? List.of() : recordings;
    }
}
