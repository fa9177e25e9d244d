package dev.voicegate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;

/**
 * The ledger of a single instance: at most {@code maxEntries}, the oldest dropped first, and none older than the
 * retention. Every operation takes one lock; none waits for anything else while holding it.
 */
final class MemoryLedger implements Ledger {

    /** An entry as it changes. */
    private static final class Slot {
        final long position;
        final CallAttempt attempt;
        String callSid;
        String outcome = LedgerEntry.PENDING;
        final List<StatusEvent> events = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        int maxSequence = -1;
        CallDetails details;
        final List<Delivery> deliveries = new ArrayList<>();

        Slot(long position, CallAttempt attempt) {
            this.position = position;
            this.attempt = attempt;
        }

        LedgerEntry entry() {
            return new LedgerEntry(attempt, callSid, outcome, List.copyOf(events), details, List.copyOf(deliveries));
        }
    }

    private final int maxEntries;
    private final Duration retention;
    private final Clock clock;
    private final LedgerWatchers watchers = new LedgerWatchers();
    private final TreeMap<Long, Slot> byPosition = new TreeMap<>();
    private final Map<String, Slot> byId = new HashMap<>();
    private final Map<String, Slot> bySid = new HashMap<>();
    private final MemoryControlLog controls;
    private long nextPosition;

    MemoryLedger(int maxEntries, Duration retention, Clock clock) {
        this(maxEntries, retention, clock, 10_000);
    }

    MemoryLedger(int maxEntries, Duration retention, Clock clock, int maxControlEvents) {
        this.maxEntries = maxEntries;
        this.retention = retention;
        this.clock = clock;
        this.controls = new MemoryControlLog(maxControlEvents, retention, clock);
    }

    @Override
    public synchronized void attempted(CallAttempt attempt) {
        Slot slot = new Slot(nextPosition++, attempt);
        byPosition.put(slot.position, slot);
        byId.put(attempt.id(), slot);
        trim();
        watchers.wakeAny(attempt.id());
    }

    @Override
    public synchronized void outcome(String attemptId, String callSid, String outcome) {
        Slot slot = byId.get(attemptId);
        if (slot != null) {
            slot.outcome = outcome;
            if (callSid != null) {
                slot.callSid = callSid;
                bySid.put(callSid, slot);
            }
            watchers.wakeAny(callSid == null ? attemptId : callSid);
        }
    }

    @Override
    public synchronized void reconciled(String accountSid, String idempotencyKey, String callSid) {
        for (Slot slot : byPosition.descendingMap().values()) {
            CallAttempt attempt = slot.attempt;
            if (slot.callSid == null && idempotencyKey.equals(attempt.idempotencyKey())
                    && accountSid.equalsIgnoreCase(attempt.accountSid())) {
                slot.callSid = callSid;
                slot.outcome = LedgerEntry.PLACED;
                bySid.put(callSid, slot);
                return;
            }
        }
    }

    @Override
    public Uni<EventOutcome> event(String callSid, StatusEvent event) {
        EventOutcome outcome = record(callSid, event);
        if (outcome == EventOutcome.ACCEPTED || outcome == EventOutcome.OUT_OF_ORDER) {
            watchers.wake(callSid);
        }
        return Uni.createFrom().item(outcome);
    }

    private synchronized EventOutcome record(String callSid, StatusEvent event) {
        Slot slot = bySid.get(callSid);
        if (slot == null) {
            return EventOutcome.UNKNOWN_CALL;
        }
        if (!slot.seen.add(event.dedupeKey()) || (event.token() != null && !slot.seen.add("token:" + event.token()))) {
            return EventOutcome.DUPLICATE;
        }
        boolean late = (event.sequence() != null && event.sequence() < slot.maxSequence)
                || (!event.isFinal() && slot.events.stream().anyMatch(StatusEvent::isFinal));
        if (event.sequence() != null) {
            slot.maxSequence = Math.max(slot.maxSequence, event.sequence());
        }
        slot.events.add(event);
        slot.events.sort(LedgerEntry.TIMELINE);
        return late ? EventOutcome.OUT_OF_ORDER : EventOutcome.ACCEPTED;
    }

    @Override
    public synchronized void details(String callSid, CallDetails details) {
        Slot slot = bySid.get(callSid);
        if (slot != null) {
            slot.details = CallDetails.merge(slot.details, details);
        }
    }

    @Override
    public synchronized void delivered(String callSid, Delivery delivery) {
        Slot slot = bySid.get(callSid);
        if (slot != null) {
            slot.deliveries.add(delivery);
        }
    }

    @Override
    public synchronized Uni<Optional<LedgerEntry>> find(String callSid) {
        Slot slot = bySid.get(callSid);
        return Uni.createFrom().item(Optional.ofNullable(slot == null ? null : slot.entry()));
    }

    @Override
    public synchronized Uni<Map<String, LedgerEntry>> findAll(Collection<String> callSids) {
        Map<String, LedgerEntry> found = new HashMap<>();
        for (String sid : callSids) {
            Slot slot = bySid.get(sid);
            if (slot != null) {
                found.put(sid, slot.entry());
            }
        }
        return Uni.createFrom().item(found);
    }

    @Override
    public synchronized Uni<LedgerPage> list(LedgerQuery query) {
        trim();
        long before = query.cursor() == null ? Long.MAX_VALUE : LedgerCursor.position(query.cursor());
        List<LedgerEntry> page = new ArrayList<>();
        Slot last = null;
        for (Slot slot : byPosition.headMap(before, false).descendingMap().values()) {
            LedgerEntry entry = slot.entry();
            if (query.matches(entry)) {
                if (page.size() == query.pageSize()) {
                    return Uni.createFrom().item(new LedgerPage(page, LedgerCursor.of(last.position)));
                }
                page.add(entry);
                last = slot;
            }
        }
        return Uni.createFrom().item(new LedgerPage(page, null));
    }

    @Override
    public Watch watch(String callSid, Runnable wake) {
        return watchers.add(callSid, wake);
    }

    @Override
    public Watch watchAll(Consumer<String> wake) {
        return watchers.addAny(wake);
    }

    @Override
    public void control(ControlEvent event) {
        controls.add(event);
    }

    @Override
    public Uni<ControlPage> controls(String cursor, int pageSize) {
        return Uni.createFrom().item(() -> controls.page(cursor, pageSize));
    }

    @Override
    public String kind() {
        return "memory";
    }

    /** Drops the oldest beyond the bound, and any older than the retention. */
    private void trim() {
        long oldest = clock.millis() - retention.toMillis();
        while (!byPosition.isEmpty() && (byPosition.size() > maxEntries
                || byPosition.firstEntry().getValue().attempt.attemptedAt().toEpochMilli() < oldest)) {
            Slot dropped = byPosition.pollFirstEntry().getValue();
            byId.remove(dropped.attempt.id());
            if (dropped.callSid != null) {
                bySid.remove(dropped.callSid, dropped);
            }
        }
    }
}
