package dev.voicegate.twilio;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of {@code GET /Calls.json}. Twilio gives no total; {@code next_page_uri} is null on the last page. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TwilioCallPage(List<TwilioCall> calls, Integer page, Integer pageSize, String nextPageUri) {

    public List<TwilioCall> callsOrEmpty() {
        return calls == null ? List.of() : calls;
    }
}
