package dev.voicegate.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Policy metrics: {@code voicegate_policy_denials_total{rule,key}} and {@code voicegate_quota_remaining{key,window}}.
 * {@code key} is a key's configured name (or {@code pass-through}), never its secret or hash; both tag sets are
 * bounded by the configuration.
 */
@ApplicationScoped
public class PolicyMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> denials = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> remaining = new ConcurrentHashMap<>();

    PolicyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A request refused by a policy rule (the setting's name, e.g. {@code destinations}). */
    public void denied(String rule, String key) {
        denials.computeIfAbsent(rule + ' ' + key, k -> Counter.builder("voicegate.policy.denials")
                .description("Requests refused by a policy rule, by rule and key").tag("rule", rule).tag("key", key)
                .register(registry)).increment();
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
