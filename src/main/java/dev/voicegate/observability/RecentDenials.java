package dev.voicegate.observability;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.voicegate.config.VoicegateConfig;

/**
 * The recent refusals of each named key, on this replica, for {@code GET /v1/admin/keys}: per rule, how many in the
 * last hour (minute buckets), and the last few with their time, rule and action. Only configured key names are kept
 * (never caller-supplied text), each with at most {@link #MAX_RULES} rules, so memory is bounded by the configuration.
 * The fleet's view is {@code voicegate_policy_denials_total}.
 */
@ApplicationScoped
public class RecentDenials {

    /** How many of the latest refusals are kept per key. */
    public static final int LATEST = 5;
    static final int MAX_RULES = 32;
    private static final int MINUTES = 60;

    /** One refusal: the rule (setting) that refused and the action refused; nothing else (no number, no target). */
    public record Denial(Instant at, String rule, String action) {
    }

    /** A key's refusals: per rule in the last hour, and the latest, newest first. */
    public record Summary(Map<String, Integer> lastHour, List<Denial> latest) {
    }

    private final Set<String> named;
    private final Clock clock;
    private final Map<String, PerKey> byKey = new ConcurrentHashMap<>();

    @Inject
    RecentDenials(VoicegateConfig config) {
        this(config.access().keys().keySet(), Clock.systemUTC());
    }

    RecentDenials(Set<String> named, Clock clock) {
        this.named = Set.copyOf(named);
        this.clock = clock;
    }

    /** {@code key} was refused {@code action} by {@code rule}; ignored unless it is a configured key's name. */
    public void record(String key, String rule, String action) {
        if (key != null && rule != null && named.contains(key)) {
            byKey.computeIfAbsent(key, name -> new PerKey()).add(new Denial(clock.instant(), rule, action));
        }
    }

    public Summary of(String key) {
        PerKey perKey = byKey.get(key);
        return perKey == null ? new Summary(Map.of(), List.of()) : perKey.summary(clock.millis() / 60_000);
    }

    /** One key's record; one short lock. */
    private static final class PerKey {
        private final ArrayDeque<Denial> latest = new ArrayDeque<>();
        /** Per rule: the minute (since the epoch) each bucket counts, and its count. */
        private final Map<String, long[][]> buckets = new TreeMap<>();

        synchronized void add(Denial denial) {
            if (latest.size() == LATEST) {
                latest.pollLast();
            }
            latest.addFirst(denial);
            long minute = denial.at().toEpochMilli() / 60_000;
            long[][] rule = buckets.get(denial.rule());
            if (rule == null) {
                if (buckets.size() >= MAX_RULES) {
                    return;
                }
                rule = new long[2][MINUTES];
                buckets.put(denial.rule(), rule);
            }
            int slot = (int) (minute % MINUTES);
            if (rule[0][slot] != minute) {
                rule[0][slot] = minute;
                rule[1][slot] = 0;
            }
            rule[1][slot]++;
        }

        synchronized Summary summary(long minute) {
            Map<String, Integer> lastHour = new TreeMap<>();
            buckets.forEach((rule, counts) -> {
                long sum = 0;
                for (int slot = 0; slot < MINUTES; slot++) {
                    if (counts[0][slot] > minute - MINUTES && counts[0][slot] <= minute) {
                        sum += counts[1][slot];
                    }
                }
                if (sum > 0) {
                    lastHour.put(rule, (int) Math.min(Integer.MAX_VALUE, sum));
                }
            });
            return new Summary(lastHour, new ArrayList<>(latest));
        }
    }
}
