package dev.voicegate.voice;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.Sid;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Parameters of end_call, as in {@code contract/end_call.input.schema.json}. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EndCallInput(String accountSid, String callSid) implements ActionInput {

    @Override
    public void validate() {
        Rules.accountSid("account_sid", accountSid);
        Rules.required("call_sid", callSid);
        Rules.sid("call_sid", callSid, Sid.CALL);
    }

    @Override
    public String auditTarget() {
        return "call " + callSid + " on account " + accountSid;
    }
}
