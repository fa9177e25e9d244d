package dev.voicegate.idempotency;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What is stored under an idempotency key. {@code IN_FLIGHT}: a replica is placing the call (until
 * {@code leaseUntil}); {@code UNKNOWN}: the attempt was ambiguous, Twilio may have the call;
 * {@code DONE}: the outcome to replay ({@code output}, {@code httpStatus}, {@code category} when it failed).
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
        String category) {

    public enum State {
        IN_FLIGHT,
        UNKNOWN,
        DONE
    }

    public static KeyRecord inFlight(String fingerprint, long now, long lease) {
        return new KeyRecord(fingerprint, State.IN_FLIGHT, now, now + lease, null, null, null);
    }

    public KeyRecord unknown() {
        return new KeyRecord(fingerprint, State.UNKNOWN, startedAt, 0, null, null, null);
    }

    /** Checking Twilio for the call of an ambiguous attempt: owned like a placement, same start. */
    public KeyRecord checking(long now, long lease) {
        return new KeyRecord(fingerprint, State.IN_FLIGHT, startedAt, now + lease, null, null, null);
    }

    public KeyRecord done(JsonNode output, int httpStatus, String category) {
        return new KeyRecord(fingerprint, State.DONE, startedAt, 0, output, httpStatus, category);
    }

    public boolean leaseExpired(long now) {
        return state == State.IN_FLIGHT && now >= leaseUntil;
    }
}
