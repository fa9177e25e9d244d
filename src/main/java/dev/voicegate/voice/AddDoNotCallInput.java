package dev.voicegate.voice;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.Redact;
import dev.voicegate.dnc.DoNotCall;
import dev.voicegate.failure.ActionException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Parameters of add_do_not_call, as in {@code contract/add_do_not_call.input.schema.json}. {@code account_sid} puts
 * the request under the key's accounts rule, as every action is; the list itself is shared by every account.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AddDoNotCallInput(String accountSid, String number, String reason) implements ActionInput {

    static final int MAX_REASON = 500;

    @Override
    public void validate() {
        Rules.accountSid("account_sid", accountSid);
        Rules.required("number", number);
        Rules.phoneNumber("number", number);
        try {
            DoNotCall.e164(number);
        } catch (ActionException impossible) {
            throw ActionException.invalid("'number' " + Redact.phone(number) + " is not a possible phone number");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw ActionException.invalid("'reason' must be at most " + MAX_REASON + " characters");
        }
    }

    /** The number in E.164 as the list keeps it (after {@link #validate}). */
    String e164() {
        return DoNotCall.e164(number);
    }

    @Override
    public String auditTarget() {
        return Redact.phone(number);
    }
}
