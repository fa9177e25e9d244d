package dev.voicegate.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Sliding windows in memory: all-or-nothing takes, the time until a window has room, giving back. */
class MemoryQuotaStoreTest {

    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static final Window TWO_PER_MINUTE = new Window("calls-per-minute", 2, Duration.ofMinutes(1));
    static final Window THREE_PER_HOUR = new Window("calls-per-hour", 3, Duration.ofHours(1));
    static final List<Window> BOTH = List.of(TWO_PER_MINUTE, THREE_PER_HOUR);

    final TestClock clock = new TestClock();
    final MemoryQuotaStore store = new MemoryQuotaStore(clock);

    Verdict take() {
        return store.take("key:agent", BOTH).await().indefinitely();
    }

    void advance(Duration by) {
        clock.now = clock.now.plus(by);
    }

    @Test
    void aFullWindowRefusesUntilItsOldestEntryLeavesIt() {
        assertEquals(List.of(1, 2), take().remaining());
        advance(Duration.ofSeconds(20));
        assertEquals(List.of(0, 1), take().remaining());
        advance(Duration.ofSeconds(10));

        Verdict refused = take();
        assertFalse(refused.allowed());
        assertEquals(TWO_PER_MINUTE, refused.exceeded());
        assertEquals(Duration.ofSeconds(30), refused.retryAfter(), "the first entry leaves the minute 60 s after it");

        advance(Duration.ofSeconds(30));
        assertEquals(List.of(0, 0), take().remaining());
        advance(Duration.ofSeconds(20));
        Verdict hourly = take();
        assertEquals(THREE_PER_HOUR, hourly.exceeded(), "the minute has room again, the hour has not");
        assertEquals(Duration.ofSeconds(3600 - 80), hourly.retryAfter());
    }

    @Test
    void aRefusalTakesFromNoWindow() {
        store.take("key:agent", List.of(THREE_PER_HOUR)).await().indefinitely();
        take();
        take();
        assertFalse(take().allowed(), "both windows are full");
        advance(Duration.ofMinutes(2));
        assertEquals(THREE_PER_HOUR, take().exceeded(), "the minute has room again, the hour has not");
        assertEquals(Duration.ofMinutes(58), take().retryAfter());
    }

    @Test
    void aGivenBackEntryFreesItsPlaceAndCountersAreSeparate() {
        take();
        Verdict second = take();
        assertFalse(take().allowed());
        store.giveBack("key:agent", BOTH, second.ticket()).await().indefinitely();
        assertTrue(take().allowed());
        assertTrue(store.take("key:other", BOTH).await().indefinitely().allowed());
    }

    @Test
    void usedCountsEachWindowWithoutTakingAnything() {
        assertEquals(List.of(0, 0), store.used("key:agent", BOTH).await().indefinitely());
        take();
        take();
        assertEquals(List.of(2, 2), store.used("key:agent", BOTH).await().indefinitely());
        assertEquals(List.of(2, 2), store.used("key:agent", BOTH).await().indefinitely(), "reading takes nothing");
        advance(Duration.ofMinutes(2));
        assertEquals(List.of(0, 2), store.used("key:agent", BOTH).await().indefinitely());
        assertTrue(take().allowed());
    }
}
