package dev.voicegate.observability;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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
 * <p>
 * Without Redis too: {@code voicegate_upstream_in_flight{account}} (requests holding a slot of this replica's limiter),
 * {@code voicegate_upstream_budget_limit} (the per-account bound) and
 * {@code voicegate_upstream_door_refusals_total{account,reason}} (new actions turned away by the limiter, nothing sent:
 * {@link #DOOR_REASONS}). Every account's series exist from start-up ({@link #accounts}), so that rate() sees the
 * first refusal and a dashboard never shows an absent series.
 */
@ApplicationScoped
public class BudgetMetrics {

    /** The {@code account} tag of every account without server-side credentials (pass-through). */
    public static final String OTHER = "other";
    /**
     * Why the limiter refused a new action: {@code queue_full} (max-queued already wait), {@code admission_wait} (its
     * estimated wait is above max-admission-wait), {@code queue_wait} (queued, no slot within max-queue-wait).
     */
    public static final List<String> DOOR_REASONS = List.of("queue_full", "admission_wait", "queue_wait");

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> inUse = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicInteger fallback = new AtomicInteger();
    private final AtomicInteger limit = new AtomicInteger();

    public BudgetMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("voicegate.upstream.budget.fallback", fallback, AtomicInteger::get)
                .description("1 while Redis is unreachable and each replica keeps to its local share").register(registry);
        Gauge.builder("voicegate.upstream.budget.limit", limit, AtomicInteger::get)
                .description("Twilio requests in flight allowed per account").register(registry);
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

    /** Registers the series of these account labels at zero: every configured account's and {@link #OTHER}. */
    public void accounts(Collection<String> labels) {
        for (String account : labels) {
            gauge(account, "replica");
            counter("voicegate.upstream.budget.waits", "Requests that found the account's budget full and waited", account);
            counter("voicegate.upstream.budget.refusals", "Requests refused (rate_limited) after waiting for the budget",
                    account);
            DOOR_REASONS.forEach(reason -> doorCounter(account, reason));
        }
    }

    /** A new action refused by this replica's limiter, nothing sent; {@code reason} is one of {@link #DOOR_REASONS}. */
    public void doorRefused(String account, String reason) {
        doorCounter(account, reason).increment();
    }

    /** Reads this replica's requests in flight for the account at each scrape. */
    public void inFlight(String account, Supplier<Number> slots) {
        Gauge.builder("voicegate.upstream.in.flight", slots).description("Twilio requests of the account holding a slot "
                + "of this replica's limiter").tag("account", account).register(registry);
    }

    /** The per-account bound ({@code TWILIO_MAX_CONCURRENT_PER_ACCOUNT}): every replica's together with Redis. */
    public void limit(int bound) {
        limit.set(bound);
    }

    private Counter doorCounter(String account, String reason) {
        return counters.computeIfAbsent("door " + account + ' ' + reason, k -> Counter.builder(
                "voicegate.upstream.door.refusals").description("New actions refused by the limiter, nothing sent")
                .tag("account", account).tag("reason", reason).register(registry));
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
