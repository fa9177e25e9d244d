package dev.voicegate.voice;

import java.net.UnknownHostException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.access.TwilioAccounts;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.outbound.AddressGuard;
import dev.voicegate.outbound.RefusedTargetException;
import dev.voicegate.twilio.NewCall;
import io.smallrye.mutiny.Uni;

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
    private final AddressGuard guard;

    StatusCallbacks(VoicegateConfig config, TwilioAccounts accounts, AddressGuard guard) {
        this.guard = guard;
        this.publicUrl = config.callbacks().publicUrl().filter(url -> !url.isBlank())
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.accounts = accounts;
    }

    /** Whether this call is followed on Twilio's callbacks. */
    public boolean on(Caller caller, String accountSid) {
        return publicUrl.isPresent() && !(caller instanceof Caller.PassThrough)
                && accounts.webhookToken(accountSid).isPresent();
    }

    /**
     * Why a caller's callback that Voicegate would relay may not be reached (invalid_request, before anything is
     * sent): the address guard, on the URL as written and then on what its host name resolves to. Empty when fine,
     * or when nothing is relayed. A name that fails to resolve for another reason is checked again at delivery.
     */
    Uni<Optional<String>> refusal(MakeCallInput input, boolean on) {
        CallAttempt.Relay relay = relay(input, on);
        if (relay == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return refusal("status_callback", relay.statusCallback())
                .flatMap(first -> first.isPresent() ? Uni.createFrom().item(first)
                        : refusal("recording_status_callback", relay.recordingStatusCallback()));
    }

    private Uni<Optional<String>> refusal(String parameter, String url) {
        if (url == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        Optional<String> literal = guard.refusal(url);
        if (literal.isPresent()) {
            return Uni.createFrom().item(Optional.of("'" + parameter + "' " + literal.get()));
        }
        return guard.check(url).map(checked -> Optional.<String>empty())
                .onFailure(RefusedTargetException.class).recoverWithItem(refused -> Optional.of("'" + parameter + "' "
                        + refused.getMessage()))
                .onFailure(failure -> failure.getCause() instanceof UnknownHostException).recoverWithItem(
                        Optional.of("'" + parameter + "': its host name does not resolve"))
                .onFailure().recoverWithItem(Optional.empty());
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
