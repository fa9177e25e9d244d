package dev.voicegate.voice;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.Sid;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Parameters of get_recording, as in {@code contract/get_recording.input.schema.json}. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GetRecordingInput(String recordingSid, String accountSid) implements ActionInput {

    @Override
    public void validate() {
        Rules.accountSid("account_sid", accountSid);
        Rules.required("recording_sid", recordingSid);
        Rules.sid("recording_sid", recordingSid, Sid.RECORDING);
    }
}
