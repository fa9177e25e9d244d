package dev.voicegate.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Metrics of the Twilio budget shared by every replica ({@code twilio.SharedBudget}):
 * {@code voicegate_upstream_budget_in_use{account,scope}} (scope {@code replica}: slots this replica holds;
 * {@code shared}: every replica's, as of Redis's latest answer), {@code voicegate_upstream_budget_waits_total{account}}
 * (requests that found the budget full and waited), {@code voicegate_upstream_budget_refusals_total{account}} (waited
 * in vain: rate_limited, nothing sent) and {@code voicegate_upstream_budget_fallback} (1 while Redis is unreachable and
 * the local share applies). {@code account} is a short hash of a configured account's SID, never the SID, or
 * {@link #OTHER} for every pass-through account together (their {@code replica} slots summed, no {@code shared}
 * series): anyone may send a well-formed SID, so the tag set stays bounded by the configuration.
 */
@ApplicationScoped
public class BudgetMetrics {

    /** The {@code account} tag of every account without server-side credentials (pass-through). */
    public static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> inUse = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicInteger fallback = new AtomicInteger();

    public BudgetMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("voicegate.upstream.budget.fallback", fallback, AtomicInteger::get)
                .description("1 while Redis is unreachable and each replica keeps to its local share").register(registry);
    }

    /** Slots of the account this replica holds now. */
    public void held(String account, int slots) {
        gauge(account, "replica").set(slots);
    }

    /** Slots of the account in use on every replica together, as Redis last answered. */
    public void shared(String account, int slots) {
        gauge(account, "shared").set(slots);
    }

    public void waited(String account) {
        counter("voicegate.upstream.budget.waits", "Requests that found the account's budget full and waited", account)
                .increment();
    }

    public void refused(String account) {
        counter("voicegate.upstream.budget.refusals", "Requests refused (rate_limited) after waiting for the budget",
                account).increment();
    }

    public void fallback(boolean on) {
        fallback.set(on ? 1 : 0);
    }

    private AtomicInteger gauge(String account, String scope) {
        return inUse.computeIfAbsent(account + ' ' + scope, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("voicegate.upstream.budget.in.use", value, AtomicInteger::get)
                    .description("Slots of the account's Twilio budget in use").tag("account", account)
                    .tag("scope", scope).register(registry);
            return value;
        });
    }

    private Counter counter(String name, String description, String account) {
        return counters.computeIfAbsent(name + ' ' + account, k -> Counter.builder(name).description(description)
                .tag("account", account).register(registry));
    }
}
