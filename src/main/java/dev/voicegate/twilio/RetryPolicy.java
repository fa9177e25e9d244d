package dev.voicegate.twilio;

import java.time.Duration;
import java.util.function.Predicate;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.voicegate.twilio.limit.AccountLimiter;

/**
 * Which failures are worth another attempt: each guard of {@link TwilioGuards} takes one of these. The cap on
 * {@code Retry-After} is read from {@link ConfigProvider}, as {@link RetryAfterBackoff} (built per invocation) does.
 * {@link TwilioException.Throttled} (Voicegate's own per-account limit) is never retried: the attempt has
 * already waited as long as {@link AccountLimiter} allows, and retrying would only queue it again.
 */
public final class RetryPolicy {

    private RetryPolicy() {
    }

    /** Reads are idempotent: retry whatever may be transient. */
    public static final class Reads implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return failure instanceof TwilioException.ServerError
                    || failure instanceof TwilioException.NotConnected
                    || failure instanceof TwilioException.ConnectionLost
                    || failure instanceof TimeoutException
                    || worthWaitingFor(failure);
        }
    }

    /**
     * Creating a call may ring a phone: resend only what Twilio provably never received or never
     * processed (no connection, or 429 which Twilio documents as never processed).
     */
    public static final class CreateCall implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return failure instanceof TwilioException.NotConnected || worthWaitingFor(failure);
        }
    }

    /** A 429 is retried unless Twilio asks for a longer pause than we are willing to hold a request for. */
    static boolean worthWaitingFor(Throwable failure) {
        if (!(failure instanceof TwilioException.RateLimited limited)) {
            return false;
        }
        return limited.retryAfter().map(wait -> wait.compareTo(maxRetryAfter()) <= 0).orElse(true);
    }

    static Duration maxRetryAfter() {
        return ConfigProvider.getConfig()
                .getOptionalValue("voicegate.twilio.max-retry-after", Duration.class)
                .orElse(Duration.ofSeconds(5));
    }
}
