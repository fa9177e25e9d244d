package dev.voicegate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The control events of a single instance: at most {@code max}, the oldest dropped first, none older than the
 * retention. Each event has a sequence number, which the page token carries.
 */
final class MemoryControlLog {

    private record Numbered(long sequence, ControlEvent event) {
    }

    private final ArrayDeque<Numbered> events = new ArrayDeque<>();
    private final int max;
    private final Duration retention;
    private final Clock clock;
    private long next = 1;

    MemoryControlLog(int max, Duration retention, Clock clock) {
        this.max = Math.max(1, max);
        this.retention = retention;
        this.clock = clock;
    }

    synchronized void add(ControlEvent event) {
        events.addLast(new Numbered(next++, event));
        trim();
    }

    /** Newest first, after the cursor; throws {@link IllegalArgumentException} for a token this log did not make. */
    synchronized ControlPage page(String cursor, int pageSize) {
        long before = cursor == null ? Long.MAX_VALUE : LedgerCursor.controlBefore(cursor);
        trim();
        List<ControlEvent> page = new ArrayList<>();
        for (Iterator<Numbered> newest = events.descendingIterator(); newest.hasNext();) {
            Numbered numbered = newest.next();
            if (numbered.sequence() >= before) {
                continue;
            }
            if (page.size() == pageSize) {
                return new ControlPage(page, LedgerCursor.ofControl(numbered.sequence() + 1));
            }
            page.add(numbered.event());
        }
        return new ControlPage(page, null);
    }

    private void trim() {
        long oldest = clock.millis() - retention.toMillis();
        while (!events.isEmpty() && (events.size() > max || events.peekFirst().event().at().toEpochMilli() < oldest)) {
            events.pollFirst();
        }
    }
}
