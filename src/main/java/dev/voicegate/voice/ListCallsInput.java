package dev.voicegate.voice;

import java.time.LocalDate;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.twilio.TwilioClient;
import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.voicegate.failure.ActionException;

/** Parameters of list_calls, as in {@code contract/list_calls.input.schema.json} (plus {@code page_token}). */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ListCallsInput(
        String accountSid,
        String to,
        @JsonProperty("from_") @JsonAlias("from") String from,
        String status,
        String startTimeAfter,
        String startTimeBefore,
        Integer pageSize,
        Boolean includeRecordings,
        String pageToken) implements ActionInput {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = TwilioClient.MAX_PAGE_SIZE;
    private static final Set<String> STATUSES = Set.of("queued", "ringing", "in-progress", "completed", "busy",
            "failed", "no-answer", "canceled");

    @Override
    public void validate() {
        Rules.accountSid("account_sid", accountSid);
        Rules.phoneNumber("to", to);
        Rules.phoneNumber("from_", from);
        Rules.oneOf("status", status, STATUSES);
        LocalDate after = Rules.date("start_time_after", startTimeAfter);
        LocalDate before = Rules.date("start_time_before", startTimeBefore);
        if (after != null && before != null && after.isAfter(before)) {
            throw ActionException.invalid("'start_time_after' must not be later than 'start_time_before'");
        }
        Rules.between("page_size", pageSize, 1, MAX_PAGE_SIZE);
        if (pageToken != null) {
            PageTokens.decode(pageToken);
        }
    }

    public int pageSizeOrDefault() {
        return pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
    }

    public boolean includeRecordingsOrDefault() {
        return includeRecordings == null || includeRecordings;
    }

    public LocalDate after() {
        return startTimeAfter == null ? null : LocalDate.parse(startTimeAfter);
    }

    public LocalDate before() {
        return startTimeBefore == null ? null : LocalDate.parse(startTimeBefore);
    }
}
