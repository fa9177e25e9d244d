package dev.voicegate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RecentAuditTest {

    final RecentAudit recent = new RecentAudit(3, Clock.fixed(Instant.parse("2026-12-05T06:00:00Z"), ZoneOffset.UTC));

    @Test
    void keepsTheLatestLinesNewestFirstAndNoMore() {
        assertEquals(List.of(), recent.newestFirst());
        IntStream.range(0, 10).forEach(i -> recent.add("agent", "action-" + i, null, "allow", null, null));
        assertEquals(List.of("action-9", "action-8", "action-7"),
                recent.newestFirst().stream().map(RecentAudit.Line::action).toList());
    }

    @Test
    void aLongTargetIsCut() {
        recent.add("agent", "make_call", "x".repeat(10_000), "deny", "destinations", null);
        RecentAudit.Line line = recent.newestFirst().get(0);
        assertEquals(RecentAudit.MAX_TARGET + 1, line.target().length());
        assertTrue(line.target().endsWith("…"));
        assertEquals("destinations", line.rule());
    }
}
