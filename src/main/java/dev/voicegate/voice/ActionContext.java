package dev.voicegate.voice;

import dev.voicegate.access.Caller;
import dev.voicegate.quota.Allowance;
import dev.voicegate.twilio.TwilioCredentials;

/**
 * Everything an action may know about the request besides its input: who is calling, the Twilio credentials
 * resolved for the input's account, the surface it came in on, the caller's quotas for this request, where to
 * report progress (MCP's {@code notifications/progress}; a no-op elsewhere) and the human who can be asked to
 * confirm (MCP form elicitation; {@link Confirmation#NONE} elsewhere).
 */
public record ActionContext(Caller caller, TwilioCredentials credentials, Surface surface, Allowance allowance,
        Progress progress, Confirmation confirmation) {

    /** Nobody to ask for a confirmation. */
    public ActionContext(Caller caller, TwilioCredentials credentials, Surface surface, Allowance allowance,
            Progress progress) {
        this(caller, credentials, surface, allowance, progress, Confirmation.NONE);
    }

    /** Told each new status of a call an action is following. */
    @FunctionalInterface
    public interface Progress {

        Progress NONE = status -> {
        };

        void status(String status);
    }
}
