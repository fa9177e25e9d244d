package dev.voicegate.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.failure.ErrorCategory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Action-level metrics. Labels are only the action name, the surface and the outcome category: never a phone
 * number, SID, key or token. Upstream requests are measured by Quarkus's REST-client metrics
 * ({@code http_client_requests_seconds}, URI templates only) and retries/breakers by SmallRye Fault Tolerance.
 */
@ApplicationScoped
public class ActionMetrics {

    /** Every outcome an action may end with: {@code success} and each error category. */
    public static final List<String> OUTCOMES;

    static {
        List<String> outcomes = new ArrayList<>(List.of("success"));
        for (ErrorCategory category : ErrorCategory.values()) {
            outcomes.add(category.wire());
        }
        OUTCOMES = List.copyOf(outcomes);
    }

    private final MeterRegistry registry;
    private final AtomicInteger lookupsInFlight = new AtomicInteger();
    // Meters are looked up once per action and outcome: building and registering one per request showed up in
    // make_call's CPU profile (tag sorting, the registry's map). Both key sets are small and closed.
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    ActionMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("voicegate.recording.lookups.in.flight", lookupsInFlight);
    }

    /**
     * One finished action: surface is where it came in ({@code tool_call}, {@code rest}, {@code mcp}), outcome is
     * "success" or the error category (partial included).
     */
    public void record(String action, String surface, String outcome, Duration elapsed) {
        counter(action, surface, outcome).increment();
        timer(action, surface).record(elapsed);
    }

    /**
     * Registers the action's series on these surfaces at zero, one per outcome of {@link #OUTCOMES}, at start-up: so
     * that rate() sees the first request and an alert on an outcome (outcome_unknown) has a series to read.
     */
    public void register(String action, List<String> surfaces) {
        for (String surface : surfaces) {
            OUTCOMES.forEach(outcome -> counter(action, surface, outcome));
            timer(action, surface);
        }
    }

    private Counter counter(String action, String surface, String outcome) {
        return requests.computeIfAbsent(action + ' ' + surface + ' ' + outcome, key -> Counter.builder(
                "voicegate.action.requests").description("Actions by surface and outcome category").tag("action", action)
                .tag("surface", surface).tag("outcome", outcome).register(registry));
    }

    private Timer timer(String action, String surface) {
        return durations.computeIfAbsent(action + ' ' + surface, key -> Timer.builder("voicegate.action.duration")
                .description("Action latency").tag("action", action).tag("surface", surface)
                .publishPercentileHistogram().register(registry));
    }

    public void lookupStarted() {
        lookupsInFlight.incrementAndGet();
    }

    public void lookupEnded() {
        lookupsInFlight.decrementAndGet();
    }
}
