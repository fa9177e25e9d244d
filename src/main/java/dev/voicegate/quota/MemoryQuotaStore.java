package dev.voicegate.quota;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * Counters of one instance: per counter and window, the times of what was counted, oldest first. A window holds
 * at most its limit, so memory is bounded by the configured quotas. One short lock: safe on the event loop.
 */
final class MemoryQuotaStore implements QuotaStore {

    private final Map<String, ArrayDeque<Long>> logs = new HashMap<>();
    private final Clock clock;

    MemoryQuotaStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Uni<Verdict> take(String counter, List<Window> windows) {
        return Uni.createFrom().item(() -> decide(counter, windows));
    }

    @Override
    public Uni<Void> giveBack(String counter, List<Window> windows, String ticket) {
        return Uni.createFrom().item(() -> {
            synchronized (logs) {
                for (Window window : windows) {
                    ArrayDeque<Long> log = logs.get(key(counter, window));
                    if (log != null) {
                        log.removeLastOccurrence(Long.valueOf(ticket));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Uni<List<Integer>> used(String counter, List<Window> windows) {
        return Uni.createFrom().item(() -> {
            long now = clock.millis();
            synchronized (logs) {
                List<Integer> used = new ArrayList<>(windows.size());
                for (Window window : windows) {
                    ArrayDeque<Long> log = live(key(counter, window), window, now);
                    used.add(log == null ? 0 : log.size());
                }
                return used;
            }
        });
    }

    @Override
    public String kind() {
        return "memory";
    }

    private Verdict decide(String counter, List<Window> windows) {
        long now = clock.millis();
        synchronized (logs) {
            for (Window window : windows) {
                ArrayDeque<Long> log = live(key(counter, window), window, now);
                if (log != null && log.size() >= window.limit()) {
                    // Room again once all but limit - 1 of the entries have left the window.
                    long freesAt = nth(log, log.size() - window.limit()) + window.length().toMillis();
                    return Verdict.denied(window, Duration.ofMillis(Math.max(1, freesAt - now)));
                }
            }
            List<Integer> remaining = new ArrayList<>(windows.size());
            for (Window window : windows) {
                ArrayDeque<Long> log = logs.computeIfAbsent(key(counter, window), k -> new ArrayDeque<>());
                log.addLast(now);
                remaining.add(window.limit() - log.size());
            }
            return Verdict.allowed(remaining, Long.toString(now));
        }
    }

    /** The window's entries after dropping those older than its length; null when none are left. */
    private ArrayDeque<Long> live(String key, Window window, long now) {
        ArrayDeque<Long> log = logs.get(key);
        if (log == null) {
            return null;
        }
        long cutoff = now - window.length().toMillis();
        while (!log.isEmpty() && log.peekFirst() <= cutoff) {
            log.pollFirst();
        }
        if (log.isEmpty()) {
            logs.remove(key);
            return null;
        }
        return log;
    }

    private static long nth(ArrayDeque<Long> log, int index) {
        Iterator<Long> entries = log.iterator();
        for (int i = 0; i < index; i++) {
            entries.next();
        }
        return entries.next();
    }

    private static String key(String counter, Window window) {
        return counter + ' ' + window.name();
    }
}
