package dev.voicegate.twilio;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One page of a recordings list, with only what its readers use: the recordings join and the per-call lookups need
 * each recording's SID, call and creation time, never its other dozen fields. Jackson skips those without making a
 * String of each; for a page of 1000 that is most of the parsing.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TwilioRecordingPage(List<Entry> recordings, String nextPageUri) {

    public List<Entry> recordingsOrEmpty() {
        return recordings == null ? List.of() : recordings;
    }

    /** One recording of the list; {@code callSid} is always the parent leg's (TWILIO.md §6). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(String sid, String callSid, String dateCreated) {
    }
}
