package dev.voicegate.twilio;

import java.time.Duration;
import java.util.Optional;

import dev.voicegate.Redact;
import dev.voicegate.twilio.limit.AccountLimiter;

/**
 * Every way a Twilio request can fail, decided once at the edge ({@link TwilioFailures}).
 * Callers branch on the subtype; the subtype also decides retries and the circuit breaker.
 * Messages never carry credentials, and phone numbers in Twilio's text are masked.
 */
public abstract class TwilioException extends RuntimeException {

    private final int httpStatus;
    private final Integer code;
    private final Duration retryAfter;

    TwilioException(String message, int httpStatus, Integer code, Duration retryAfter, Throwable cause) {
        super(Redact.phonesIn(message), cause, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** Twilio's HTTP status, or 0 when no response arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Twilio's error code (e.g. 21211), when its body had one. */
    public Optional<Integer> code() {
        return Optional.ofNullable(code);
    }

    /** Twilio's {@code Retry-After}, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A 4xx other than 429: Twilio refused the request; sending it again will not help. */
    public static final class Rejected extends TwilioException {
        public Rejected(String message, int httpStatus, Integer code) {
            super(message, httpStatus, code, null, null);
        }
    }

    /** 429: too many concurrent requests. Twilio never processed it, so it is always safe to resend. */
    public static final class RateLimited extends TwilioException {
        public RateLimited(String message, Integer code, Duration retryAfter) {
            super(message, 429, code, retryAfter, null);
        }
    }

    /**
     * Voicegate's own per-account bound on concurrent Twilio requests ({@link AccountLimiter}) is reached:
     * the request was never sent. Not retried (waiting for a slot is what the limiter already did) and
     * never counted by the circuit breakers, because Twilio did nothing wrong.
     */
    public static final class Throttled extends TwilioException {
        public Throttled(String message) {
            super(message, 0, null, null, null);
        }
    }

    /** 5xx (or an unexpected status): Twilio failed; it may or may not have acted on the request. */
    public static final class ServerError extends TwilioException {
        public ServerError(String message, int httpStatus, Integer code, Duration retryAfter) {
            super(message, httpStatus, code, retryAfter, null);
        }
    }

    /** No connection could be made: the request never left, so resending is safe. */
    public static final class NotConnected extends TwilioException {
        public NotConnected(String message, Throwable cause) {
            super(message, 0, null, null, cause);
        }
    }

    /** The connection failed after the request may have been sent (reset, closed, read timeout). */
    public static final class ConnectionLost extends TwilioException {
        public ConnectionLost(String message, Throwable cause) {
            super(message, 0, null, null, cause);
        }
    }

    /** Twilio answered 2xx with a body that is not the JSON expected. */
    public static final class BadResponse extends TwilioException {
        public BadResponse(String message, Throwable cause) {
            super(message, 0, null, null, cause);
        }
    }
}
