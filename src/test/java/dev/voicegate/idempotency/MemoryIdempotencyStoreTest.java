package dev.voicegate.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The embedded store: atomic claim, compare-and-set, expiry and its bound. */
class MemoryIdempotencyStoreTest {

    static final Duration TTL = Duration.ofHours(24);

    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final TestClock clock = new TestClock();
    final MemoryIdempotencyStore store = new MemoryIdempotencyStore(3, clock);

    @Test
    void claimIsAtomicAndCompareAndSetNeedsTheCurrentValue() {
        assertNull(store.putIfAbsent("k", "first", TTL).await().indefinitely());
        assertEquals("first", store.putIfAbsent("k", "second", TTL).await().indefinitely());
        assertFalse(store.replace("k", "stale", "x", TTL).await().indefinitely());
        assertTrue(store.replace("k", "first", "done", TTL).await().indefinitely());
        assertEquals("done", store.get("k").await().indefinitely());
        assertFalse(store.remove("k", "first").await().indefinitely());
        assertTrue(store.remove("k", "done").await().indefinitely());
        assertNull(store.get("k").await().indefinitely());
    }

    @Test
    void keysExpire() {
        store.putIfAbsent("k", "v", Duration.ofMinutes(1)).await().indefinitely();
        clock.now = clock.now.plus(Duration.ofSeconds(59));
        assertEquals("v", store.get("k").await().indefinitely());
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertNull(store.get("k").await().indefinitely());
        assertNull(store.putIfAbsent("k", "again", TTL).await().indefinitely(), "an expired key can be claimed again");
    }

    @Test
    void theOldestKeysGoBeyondTheBound() {
        for (String key : new String[] { "a", "b", "c", "d" }) {
            store.putIfAbsent(key, key, TTL).await().indefinitely();
        }
        assertEquals(3, store.size());
        assertNull(store.get("a").await().indefinitely());
        assertEquals("d", store.get("d").await().indefinitely());
    }
}
