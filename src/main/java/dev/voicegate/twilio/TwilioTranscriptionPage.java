package dev.voicegate.twilio;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of a recording's transcriptions. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TwilioTranscriptionPage(List<TwilioTranscription> transcriptions, String nextPageUri) {

    public List<TwilioTranscription> transcriptionsOrEmpty() {
        return transcriptions == null ? List.of() : transcriptions;
    }
}
