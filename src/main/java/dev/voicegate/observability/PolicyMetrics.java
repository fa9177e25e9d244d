package dev.voicegate.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.config.VoicegateConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Policy metrics: {@code voicegate_policy_denials_total{rule,key}} and {@code voicegate_quota_remaining{key,window}}.
 * {@code key} is a key's configured name (or {@code pass-through}), never its secret or hash; both tag sets are
 * bounded by the configuration. Both exist from start-up, so that rate() sees the first denial: every key (named,
 * {@code SERVICE_API_KEYS[n]}, {@code pass-through}) with every rule of {@link #RULES} at zero, and every named key's
 * quota windows at their full limit.
 */
@Startup
@ApplicationScoped
public class PolicyMetrics {

    /**
     * Every rule a denial may name (access.Guard, its calling hours, approvals, do-not-call, quotas). A rule missing
     * here still counts, from its first denial on.
     */
    public static final List<String> RULES = List.of("accounts", "actions", "role", "suspended", "end-call",
            "blocked-prefixes", "valid-number", "blocked-number-types", "destinations", "from", "calling-hours",
            "add-do-not-call", "approval", "do-not-call", "do-not-call-unavailable", "quota-unavailable",
            "max-requests-per-minute", "max-calls-per-minute", "max-calls-per-hour", "max-calls-per-day");
    /** The caller name of pass-through (Basic-auth) requests, as access.Caller names them. */
    static final String PASS_THROUGH = "pass-through";

    private final MeterRegistry registry;
    private final Map<String, Counter> denials = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> remaining = new ConcurrentHashMap<>();

    PolicyMetrics(MeterRegistry registry, VoicegateConfig config) {
        this.registry = registry;
        List<String> keys = new ArrayList<>(config.access().keys().keySet());
        int unnamed = (int) config.access().serviceApiKeys().orElse(List.of()).stream().filter(k -> !k.isBlank()).count();
        for (int i = 1; i <= unnamed; i++) {
            keys.add("SERVICE_API_KEYS[" + i + "]");
        }
        keys.add(PASS_THROUGH);
        for (String key : keys) {
            RULES.forEach(rule -> counter(rule, key));
        }
        config.access().keys().forEach((name, key) -> {
            full(name, "requests-per-minute", key.maxRequestsPerMinute());
            full(name, "calls-per-minute", key.maxCallsPerMinute());
            full(name, "calls-per-hour", key.maxCallsPerHour());
            full(name, "calls-per-day", key.maxCallsPerDay());
        });
    }

    private void full(String key, String window, OptionalInt limit) {
        limit.ifPresent(value -> remaining(key, window, value));
    }

    private Counter counter(String rule, String key) {
        return denials.computeIfAbsent(rule + ' ' + key, k -> Counter.builder("voicegate.policy.denials")
                .description("Requests refused by a policy rule, by rule and key").tag("rule", rule).tag("key", key)
                .register(registry));
    }

    /** A request refused by a policy rule (the setting's name, e.g. {@code destinations}). */
    public void denied(String rule, String key) {
        counter(rule, key).increment();
    }

    /** What is left of a key's quota in a window (e.g. {@code calls-per-hour}) after its latest decision. */
    public void remaining(String key, String window, int left) {
        remaining.computeIfAbsent(key + ' ' + window, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("voicegate.quota.remaining", value, AtomicInteger::get)
                    .description("What is left of a key's quota in a sliding window, as of its latest decision")
                    .tag("key", key).tag("window", window).register(registry);
            return value;
        }).set(left);
    }
}
