package dev.voicegate.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.smallrye.mutiny.Uni;

/**
 * The embedded store for a single instance: bounded (oldest keys dropped first) and expiring.
 * Operations are a few map accesses under one short lock, so they are safe on the event loop.
 */
final class MemoryIdempotencyStore implements IdempotencyStore {

    private record Entry(String value, long expiresAtMillis) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final int maxKeys;
    private final Clock clock;

    MemoryIdempotencyStore(int maxKeys, Clock clock) {
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    @Override
    public Uni<String> putIfAbsent(String key, String value, Duration ttl) {
        return Uni.createFrom().item(() -> {
            synchronized (entries) {
                Entry current = live(key);
                if (current != null) {
                    return current.value();
                }
                put(key, value, ttl);
                return null;
            }
        });
    }

    @Override
    public Uni<String> get(String key) {
        return Uni.createFrom().item(() -> {
            synchronized (entries) {
                Entry current = live(key);
                return current == null ? null : current.value();
            }
        });
    }

    @Override
    public Uni<Boolean> replace(String key, String expected, String value, Duration ttl) {
        return Uni.createFrom().item(() -> {
            synchronized (entries) {
                Entry current = live(key);
                if (current == null || !Objects.equals(current.value(), expected)) {
                    return false;
                }
                entries.remove(key);
                put(key, value, ttl);
                return true;
            }
        });
    }

    @Override
    public Uni<Boolean> remove(String key, String expected) {
        return Uni.createFrom().item(() -> {
            synchronized (entries) {
                Entry current = live(key);
                if (current == null || !Objects.equals(current.value(), expected)) {
                    return false;
                }
                entries.remove(key);
                return true;
            }
        });
    }

    @Override
    public Uni<Void> ping() {
        return Uni.createFrom().voidItem();
    }

    @Override
    public String kind() {
        return "memory";
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private Entry live(String key) {
        Entry entry = entries.get(key);
        if (entry != null && entry.expiresAtMillis() <= clock.millis()) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    // Insertion order is age order (replace re-inserts), so the first entries are the oldest.
    private void put(String key, String value, Duration ttl) {
        entries.put(key, new Entry(value, clock.millis() + ttl.toMillis()));
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (entries.size() > maxKeys && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
