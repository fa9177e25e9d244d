package dev.voicegate.voice;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.access.TwilioAccounts;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.twilio.NewCall;

/**
 * Whether make_call asks Twilio for call-progress callbacks, and the form it sends then. They are on when
 * {@code PUBLIC_URL} is set and Voicegate holds the account's Auth Token, which Twilio signs them with: never for
 * pass-through credentials, which are not stored. The caller's own callbacks are then relayed by Voicegate.
 */
@ApplicationScoped
public class StatusCallbacks {

    public static final String STATUS_PATH = "/twilio/callbacks/status";
    public static final String RECORDING_PATH = "/twilio/callbacks/recording";

    private final Optional<String> publicUrl;
    private final TwilioAccounts accounts;

    StatusCallbacks(VoicegateConfig config, TwilioAccounts accounts) {
        this.publicUrl = config.callbacks().publicUrl().filter(url -> !url.isBlank())
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.accounts = accounts;
    }

    /** Whether this call is followed on Twilio's callbacks. */
    public boolean on(Caller caller, String accountSid) {
        return publicUrl.isPresent() && !(caller instanceof Caller.PassThrough)
                && accounts.webhookToken(accountSid).isPresent();
    }

    /** What goes to Twilio: the caller's callbacks as given, or Voicegate's own when {@code on}. */
    NewCall newCall(MakeCallInput input, boolean on) {
        NewCall call = input.toNewCall();
        return on ? call.withCallbacks(publicUrl.get() + STATUS_PATH, publicUrl.get() + RECORDING_PATH) : call;
    }

    /** The caller's callbacks, which Voicegate delivers itself when {@code on}; null when there are none. */
    static CallAttempt.Relay relay(MakeCallInput input, boolean on) {
        if (!on || (input.statusCallback() == null && input.recordingStatusCallback() == null)) {
            return null;
        }
        return new CallAttempt.Relay(input.statusCallback(),
                input.statusCallbackMethod() == null ? "POST" : input.statusCallbackMethod(),
                Boolean.TRUE.equals(input.record()) ? input.recordingStatusCallback() : null);
    }
}
