package dev.voicegate.ledger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The waiters of this replica, by call SID: as many as get_calls are waiting, each removed when its wait ends, so
 * the map never outgrows the requests in flight.
 */
final class LedgerWatchers {

    private final Map<String, Set<Runnable>> bySid = new ConcurrentHashMap<>();
    /** Watchers of every call (the console's live pages): as many as its streams open, each removed at its end. */
    private final Set<Consumer<String>> any = ConcurrentHashMap.newKeySet();

    Ledger.Watch add(String callSid, Runnable wake) {
        bySid.computeIfAbsent(callSid, sid -> ConcurrentHashMap.newKeySet()).add(wake);
        return () -> bySid.computeIfPresent(callSid, (sid, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    Ledger.Watch addAny(Consumer<String> wake) {
        any.add(wake);
        return () -> any.remove(wake);
    }

    void wake(String callSid) {
        Set<Runnable> waiting = bySid.get(callSid);
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
        wakeAny(callSid);
    }

    /** Wakes only the watchers of every call: an entry was added or got its outcome here ({@code id}: SID or attempt id). */
    void wakeAny(String id) {
        any.forEach(wake -> wake.accept(id));
    }

    /** Wakes every waiter: events may have been missed (the subscription to other replicas' events was lost). */
    void wakeAll() {
        bySid.values().forEach(waiting -> waiting.forEach(Runnable::run));
        wakeAny(null);
    }

    boolean watched(String callSid) {
        return bySid.containsKey(callSid);
    }
}
