package dev.voicegate.voice;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Parameters of get_recording, as in {@code contract/get_recording.input.schema.json}. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GetRecordingInput(String recordingSid, String accountSid) implements ActionInput {

    @Override
    public void validate() {
        Rules.accountSid("account_sid", accountSid);
        Rules.required("recording_sid", recordingSid);
        Rules.matches("recording_sid", recordingSid, Rules.RECORDING_SID, "a Recording SID: 'RE' followed by 32 hex digits");
    }
}
