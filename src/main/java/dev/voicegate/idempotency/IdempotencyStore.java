package dev.voicegate.idempotency;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/**
 * Where make_call idempotency keys live: a tiny key-value store with atomic claim and compare-and-set,
 * in memory for one instance or in Redis shared by every replica. Values are opaque strings.
 * Every operation fails with {@link StoreUnavailableException} when the store cannot be reached. A key is
 * {@code <account SID>:<Idempotency-Key>}; the Redis store keeps the SID hashed in its key names.
 */
public interface IdempotencyStore {

    /** Stores the value if the key is free; returns null when stored, else the value already there. */
    Uni<String> putIfAbsent(String key, String value, Duration ttl);

    /** The value, or null. */
    Uni<String> get(String key);

    /** Replaces the value only if it is still {@code expected}. */
    Uni<Boolean> replace(String key, String expected, String value, Duration ttl);

    /** Removes the key only if its value is still {@code expected}. */
    Uni<Boolean> remove(String key, String expected);

    /** Succeeds when the store is reachable (readiness). */
    Uni<Void> ping();

    /** "memory" or "redis", for health and logs. */
    String kind();
}
