package dev.voicegate.voice;

import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.access.CallTarget;
import dev.voicegate.failure.ActionException;
import dev.voicegate.twilio.NewCall;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Parameters of make_call, as in {@code contract/make_call.input.schema.json}. Every component but the key
 * is part of the idempotency fingerprint, in this order (the order fingerprints stored in Redis were made with).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MakeCallInput(
        String accountSid,
        String to,
        @JsonProperty("from_") @JsonAlias("from") String from,
        String url,
        String twiml,
        String statusCallback,
        String statusCallbackMethod,
        Boolean record,
        String recordingStatusCallback,
        Integer timeout,
        String machineDetection,
        String idempotencyKey) implements ActionInput {

    private static final Set<String> METHODS = Set.of("GET", "POST");
    private static final Set<String> MACHINE_DETECTION = Set.of("Enable", "DetectMessageEnd");
    /** 1–255 printable ASCII characters, as payment APIs accept. */
    public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x20-\\x7E]{1,255}$");

    /** Every rule of the contract and of Twilio that can be checked before sending. */
    @Override
    public void validate() {
        Rules.accountSid("account_sid", accountSid);
        Rules.required("to", to);
        Rules.phoneNumber("to", to);
        Rules.required("from_", from);
        Rules.phoneNumber("from_", from);
        if ((url == null) == (twiml == null)) {
            throw ActionException.invalid("exactly one of 'url' or 'twiml' is required");
        }
        Rules.httpUrl("url", url);
        Twiml.wellFormed(twiml);
        Rules.httpUrl("status_callback", statusCallback);
        Rules.oneOf("status_callback_method", statusCallbackMethod, METHODS);
        Rules.httpUrl("recording_status_callback", recordingStatusCallback);
        Rules.between("timeout", timeout, 1, 600);
        Rules.oneOf("machine_detection", machineDetection, MACHINE_DETECTION);
        Rules.matches("idempotency_key", idempotencyKey, IDEMPOTENCY_KEY, "1 to 255 printable ASCII characters");
    }

    @Override
    public CallTarget callTarget() {
        return new CallTarget(to, from);
    }

    /** Twilio's form parameters for this call. */
    public NewCall toNewCall() {
        return new NewCall(to, from, url, twiml, statusCallback, statusCallbackMethod, null, record,
                recordingStatusCallback, timeout, machineDetection);
    }
}
