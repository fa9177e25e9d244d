package dev.voicegate.idempotency;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What is stored under an idempotency key. {@code IN_FLIGHT}: a replica is placing the call (until
 * {@code leaseUntil}); {@code UNKNOWN}: the attempt was ambiguous, Twilio may have the call;
 * {@code DONE}: the outcome to replay ({@code output}, {@code httpStatus}, and when it failed the
 * failure's {@code category} and {@code message}).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyRecord(
        String fingerprint,
        State state,
        long startedAt,
        long leaseUntil,
        JsonNode output,
        Integer httpStatus,
        String category,
        String message) {

    /** Records written before the message was kept have none; their output still carries the whole error. */
    static final String MESSAGE_NOT_KEPT = "the outcome of an earlier request with this idempotency_key";

    public enum State {
        IN_FLIGHT,
        UNKNOWN,
        DONE
    }

    public static KeyRecord inFlight(String fingerprint, long now, long lease) {
        return new KeyRecord(fingerprint, State.IN_FLIGHT, now, now + lease, null, null, null, null);
    }

    public KeyRecord unknown() {
        return new KeyRecord(fingerprint, State.UNKNOWN, startedAt, 0, null, null, null, null);
    }

    /** Checking Twilio for the call of an ambiguous attempt: owned like a placement, same start. */
    public KeyRecord checking(long now, long lease) {
        return new KeyRecord(fingerprint, State.IN_FLIGHT, startedAt, now + lease, null, null, null, null);
    }

    /** The outcome to replay; {@code failure} is null when it succeeded. */
    public KeyRecord done(JsonNode output, int httpStatus, ActionFailure failure) {
        return failure == null
                ? new KeyRecord(fingerprint, State.DONE, startedAt, 0, output, httpStatus, null, null)
                : new KeyRecord(fingerprint, State.DONE, startedAt, 0, output, httpStatus, failure.category().name(),
                        failure.message());
    }

    /** The failure of a {@code DONE} outcome, or null when it succeeded. */
    public ActionFailure failure() {
        return category == null ? null : new ActionFailure(ErrorCategory.valueOf(category),
                message == null ? MESSAGE_NOT_KEPT : message, httpStatus, null);
    }

    public boolean leaseExpired(long now) {
        return state == State.IN_FLIGHT && now >= leaseUntil;
    }
}
