package dev.voicegate.twilio;

import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.voicegate.config.VoicegateConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;

/**
 * The fault tolerance of every Twilio operation, defined once: each operation of {@link TwilioClient}, and the media
 * client's download, runs under its own guard ({@link #run}), built by {@link #guard} from {@code TWILIO_MAX_RETRIES}
 * and {@code TWILIO_RETRY_DELAY_MS}: a retry around a circuit breaker. Each attempt times itself, with one timer
 * ({@link TwilioClient}'s {@code AttemptTimeout}, from {@code TWILIO_TIMEOUT_MS}; media's to its headers), so the
 * guards have no timeout of their own. Each guard has its own breaker, named as the guard (for metrics and
 * {@code CircuitBreakerMaintenance}); breakers count 5xx, I/O failures and timeouts, never a 4xx, a 429, Voicegate's
 * own throttling or an attempt abandoned by its caller. Built at start-up, so the breaker names are known before
 * the first request.
 * <p>
 * The guards are called directly, not through {@code @ApplyGuard}: that way SmallRye Fault Tolerance 6.10.1 keeps a
 * new metrics collector for every call, never freed, and registers the breaker's gauges again each time, which
 * Micrometer reports as "Gauge has been already registered (ft.circuitbreaker…)" and which leaves the state gauge
 * reading the first call's breaker state (smallrye/smallrye-fault-tolerance#1325, fixed after 6.10.1). Called
 * directly, a guard reads no {@code quarkus.fault-tolerance.*} configuration, so the one setting used here, the
 * integration tests' {@code global.circuit-breaker.enabled=false}, is read here.
 * <p>
 * {@code voicegate_twilio_breaker_state{breaker}} (0 closed, 1 half-open, 2 open; 0 when breakers are off) exists
 * from start-up, one series per guard: SmallRye's own {@code ft_circuitbreaker_*} appear only after a first call.
 */
@Singleton
@Startup
public class TwilioGuards {

    static final String CREATE_CALL = "twilio-create-call";
    static final String LIST_CALLS = "twilio-list-calls";
    static final String FETCH_CALL = "twilio-fetch-call";
    /** Ending a call: not a create, so retried as the reads are. */
    static final String UPDATE_CALL = "twilio-update-call";
    static final String LIST_CALL_RECORDINGS = "twilio-list-call-recordings";
    static final String LIST_RECORDINGS = "twilio-list-recordings";
    static final String FETCH_RECORDING = "twilio-fetch-recording";
    static final String LIST_TRANSCRIPTIONS = "twilio-list-transcriptions";
    /** A recording's audio, up to its headers: never retried after them. */
    public static final String RECORDING_MEDIA = "twilio-recording-media";

    private final VoicegateConfig.Twilio config;
    private final boolean breakers;
    private final Map<String, Guard> guards = new HashMap<>();

    TwilioGuards(VoicegateConfig config,
            @ConfigProperty(name = "quarkus.fault-tolerance.global.circuit-breaker.enabled", defaultValue = "true")
            boolean breakers, MeterRegistry registry) {
        this.config = config.twilio();
        this.breakers = breakers;
        guards.put(CREATE_CALL, guard(CREATE_CALL, new RetryPolicy.CreateCall()));
        // Ending a call is retried as a read: sending Status=completed again changes nothing more.
        for (String read : List.of(LIST_CALLS, FETCH_CALL, UPDATE_CALL, LIST_CALL_RECORDINGS, LIST_RECORDINGS,
                FETCH_RECORDING, LIST_TRANSCRIPTIONS)) {
            guards.put(read, guard(read, new RetryPolicy.Reads()));
        }
        guards.put(RECORDING_MEDIA, guard(RECORDING_MEDIA, new RetryPolicy.Reads()));
        for (String name : guards.keySet()) {
            Gauge.builder("voicegate.twilio.breaker.state", () -> breakerState(name))
                    .description("The Twilio operation's circuit breaker: 0 closed, 1 half-open, 2 open")
                    .tag("breaker", name).register(registry);
        }
    }

    private int breakerState(String name) {
        if (!breakers) {
            return 0;
        }
        return switch (CircuitBreakerMaintenance.get().currentState(name)) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /**
     * Runs one Twilio operation under its guard; {@code attempt} is subscribed to once per attempt. The answer passes
     * the guard boxed and is let go once delivered ({@link LetGo}): the guard's worker threads keep their last task.
     */
    public <T> Uni<T> run(String operation, Supplier<Uni<T>> attempt) {
        return LetGo.unboxed(guards.get(operation).get(LetGo.boxed(attempt), new TypeLiteral<Uni<LetGo.Box<T>>>() {
        }));
    }

    /**
     * One operation's guard: {@code retryWhen} decides which failures are worth another attempt. Thread offload stays
     * on: without it, under load, event loops stalled for seconds (docs/performance.md#25-make_calls-cpu).
     */
    private Guard guard(String name, Predicate<Throwable> retryWhen) {
        Guard.Builder guard = Guard.create()
                .withDescription(name)
                .withRetry()
                    .maxRetries(config.maxRetries())
                    .delay(config.retryDelayMs(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS) // RetryAfterBackoff adds its own
                    .maxDuration(60, ChronoUnit.SECONDS)
                    .whenException(retryWhen)
                    .withCustomBackoff().strategy(RetryAfterBackoff::new).done()
                    .done()
                .withThreadOffload(true);
        if (breakers) {
            guard = guard.withCircuitBreaker()
                    .name(name)
                    .requestVolumeThreshold(20)
                    .failureRatio(0.5)
                    .delay(10, ChronoUnit.SECONDS)
                    .skipOn(List.of(TwilioException.Rejected.class, TwilioException.RateLimited.class,
                            TwilioException.Throttled.class, CancellationException.class))
                    .done();
        }
        return guard.build();
    }
}
