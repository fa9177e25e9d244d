package dev.voicegate.twilio;

import java.util.concurrent.ThreadLocalRandom;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Waits what Twilio's {@code Retry-After} asks for (capped by {@link RetryPolicy}), otherwise
 * doubles the first retry delay ({@code TWILIO_RETRY_DELAY_MS}) each attempt, with "equal jitter" so that a burst
 * of retries does not arrive at Twilio in lockstep. One instance per guarded invocation.
 */
public final class RetryAfterBackoff implements CustomBackoffStrategy {

    private static final int MAX_DOUBLINGS = 6;

    private long initialDelayMillis;
    private int attempt;

    @Override
    public void init(long initialDelayInMillis) {
        this.initialDelayMillis = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        int doublings = Math.min(attempt++, MAX_DOUBLINGS);
        if (cause instanceof TwilioException twilio && twilio.retryAfter().isPresent()) {
            long askedFor = twilio.retryAfter().get().toMillis();
            return Math.min(askedFor, RetryPolicy.maxRetryAfter().toMillis());
        }
        long base = initialDelayMillis << doublings;
        long half = base / 2;
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }
}
