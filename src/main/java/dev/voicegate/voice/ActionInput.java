package dev.voicegate.voice;

import dev.voicegate.access.CallTarget;
import dev.voicegate.failure.ActionException;

/**
 * What every action input offers the dispatcher: its own validation, the account it acts on, and for the policy
 * the call it would place.
 */
public interface ActionInput {

    /** Throws {@link ActionException} ({@code invalid_request}) naming the first parameter at fault. */
    void validate();

    String accountSid();

    /** What a refusal's audit line names as the request's target; the account by default. */
    default String auditTarget() {
        return "account " + accountSid();
    }

    /** The number it dials and the caller ID, when the action places a call (then the toll-fraud guard applies). */
    default CallTarget callTarget() {
        return null;
    }
}
