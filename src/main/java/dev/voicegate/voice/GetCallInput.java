package dev.voicegate.voice;

import java.time.Duration;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.Sid;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Parameters of get_call, as in {@code contract/get_call.input.schema.json}. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GetCallInput(
        String accountSid,
        String callSid,
        Boolean includeRecordings,
        Integer waitSeconds) implements ActionInput {

    /** The contract's bound: long enough for most calls to ring out, short enough for ordinary HTTP timeouts. */
    public static final int MAX_WAIT_SECONDS = 60;

    @Override
    public void validate() {
        Rules.accountSid("account_sid", accountSid);
        Rules.required("call_sid", callSid);
        Rules.sid("call_sid", callSid, Sid.CALL);
        Rules.between("wait_seconds", waitSeconds, 0, MAX_WAIT_SECONDS);
    }

    public boolean includeRecordingsOrDefault() {
        return includeRecordings == null || includeRecordings;
    }

    public Duration waitOrDefault() {
        return Duration.ofSeconds(waitSeconds == null ? 0 : waitSeconds);
    }
}
