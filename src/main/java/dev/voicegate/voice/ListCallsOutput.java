package dev.voicegate.voice;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Output of list_calls. {@code total} counts the calls of this page (Twilio publishes no overall total). */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ListCallsOutput(
        boolean success,
        String error,
        List<CallListItem> calls,
        int total,
        Integer page,
        Integer pageSize) implements ActionOutput {

    public static ListCallsOutput failure(String error) {
        return new ListCallsOutput(false, error, List.of(), 0, null, null);
    }
}
