package dev.voicegate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Recent denials per named key: counts per rule over the last hour, the latest few, and bounds. */
class RecentDenialsTest {

    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:30Z");

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

    final TestClock clock = new TestClock();
    final RecentDenials denials = new RecentDenials(Set.of("agent", "other"), clock);

    @Test
    void countsPerRuleOverTheLastHourAndKeepsTheLatestNewestFirst() {
        denials.record("agent", "destinations", "make_call");
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        denials.record("agent", "destinations", "make_call");
        denials.record("agent", "actions", "get_call");
        RecentDenials.Summary summary = denials.of("agent");
        assertEquals(Map.of("destinations", 2, "actions", 1), summary.lastHour());
        assertEquals(List.of("actions", "destinations", "destinations"),
                summary.latest().stream().map(RecentDenials.Denial::rule).toList());
        assertEquals("get_call", summary.latest().get(0).action());
        assertEquals(clock.now, summary.latest().get(0).at());

        clock.now = clock.now.plus(Duration.ofMinutes(31)); // the first is more than an hour old
        assertEquals(Map.of("destinations", 1, "actions", 1), denials.of("agent").lastHour());
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertEquals(Map.of(), denials.of("agent").lastHour());
        assertEquals(3, denials.of("agent").latest().size(), "the latest stay, with their time");
        assertEquals(new RecentDenials.Summary(Map.of(), List.of()), denials.of("other"));
    }

    @Test
    void onlyConfiguredNamesAreKeptAndEachRecordIsBounded() {
        denials.record("SERVICE_API_KEYS[0]", "actions", "make_call");
        denials.record("pass-through", "actions", "make_call");
        denials.record("caller-chosen-" + "x".repeat(100), "actions", "make_call");
        assertEquals(new RecentDenials.Summary(Map.of(), List.of()), denials.of("pass-through"));

        for (int i = 0; i < 100; i++) {
            denials.record("agent", "rule-" + i, "make_call");
        }
        RecentDenials.Summary summary = denials.of("agent");
        assertEquals(RecentDenials.LATEST, summary.latest().size());
        assertEquals("rule-99", summary.latest().get(0).rule());
        assertEquals(RecentDenials.MAX_RULES, summary.lastHour().size());
    }
}
