package dev.voicegate.twilio;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.voicegate.config.VoicegateConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;

/**
 * The fault tolerance of every Twilio operation, defined once: each operation of {@link TwilioClient} applies its own
 * guard ({@code @ApplyGuard}), built by {@link #guard} from {@code TWILIO_TIMEOUT_MS}, {@code TWILIO_MAX_RETRIES} and
 * {@code TWILIO_RETRY_DELAY_MS}. Outermost first: a retry, a circuit breaker and a per-attempt timeout. Each guard has
 * its own breaker, named as the guard (for metrics and {@code CircuitBreakerMaintenance}); breakers count 5xx, I/O
 * failures and timeouts, never a 4xx, a 429 or Voicegate's own throttling. Built at start-up, so the breaker
 * names are known before the first request.
 */
@Singleton
class TwilioGuards {

    static final String CREATE_CALL = "twilio-create-call";
    static final String LIST_CALLS = "twilio-list-calls";
    static final String FETCH_CALL = "twilio-fetch-call";
    static final String LIST_CALL_RECORDINGS = "twilio-list-call-recordings";
    static final String LIST_RECORDINGS = "twilio-list-recordings";
    static final String FETCH_RECORDING = "twilio-fetch-recording";
    static final String LIST_TRANSCRIPTIONS = "twilio-list-transcriptions";

    private final VoicegateConfig.Twilio config;

    TwilioGuards(VoicegateConfig config) {
        this.config = config.twilio();
    }

    @Produces @Singleton @Startup @Identifier(CREATE_CALL)
    Guard createCall() {
        return guard(CREATE_CALL, new RetryPolicy.CreateCall());
    }

    @Produces @Singleton @Startup @Identifier(LIST_CALLS)
    Guard listCalls() {
        return guard(LIST_CALLS, new RetryPolicy.Reads());
    }

    @Produces @Singleton @Startup @Identifier(FETCH_CALL)
    Guard fetchCall() {
        return guard(FETCH_CALL, new RetryPolicy.Reads());
    }

    @Produces @Singleton @Startup @Identifier(LIST_CALL_RECORDINGS)
    Guard listCallRecordings() {
        return guard(LIST_CALL_RECORDINGS, new RetryPolicy.Reads());
    }

    @Produces @Singleton @Startup @Identifier(LIST_RECORDINGS)
    Guard listRecordings() {
        return guard(LIST_RECORDINGS, new RetryPolicy.Reads());
    }

    @Produces @Singleton @Startup @Identifier(FETCH_RECORDING)
    Guard fetchRecording() {
        return guard(FETCH_RECORDING, new RetryPolicy.Reads());
    }

    @Produces @Singleton @Startup @Identifier(LIST_TRANSCRIPTIONS)
    Guard listTranscriptions() {
        return guard(LIST_TRANSCRIPTIONS, new RetryPolicy.Reads());
    }

    /** One operation's guard: {@code retryWhen} decides which failures are worth another attempt. */
    private Guard guard(String name, Predicate<Throwable> retryWhen) {
        return Guard.create()
                .withDescription(name)
                .withRetry()
                    .maxRetries(config.maxRetries())
                    .delay(config.retryDelayMs(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS) // RetryAfterBackoff adds its own
                    .maxDuration(60, ChronoUnit.SECONDS)
                    .whenException(retryWhen)
                    .withCustomBackoff().strategy(RetryAfterBackoff::new).done()
                    .done()
                .withCircuitBreaker()
                    .name(name)
                    .requestVolumeThreshold(20)
                    .failureRatio(0.5)
                    .delay(10, ChronoUnit.SECONDS)
                    .skipOn(List.of(TwilioException.Rejected.class, TwilioException.RateLimited.class,
                            TwilioException.Throttled.class))
                    .done()
                .withTimeout().duration(config.timeoutMs(), ChronoUnit.MILLIS).done()
                .build();
    }
}
