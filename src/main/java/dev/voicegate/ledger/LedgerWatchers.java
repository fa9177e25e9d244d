package dev.voicegate.ledger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waiters of this replica, by call SID: as many as get_calls are waiting, each removed when its wait ends, so
 * the map never outgrows the requests in flight.
 */
final class LedgerWatchers {

    private final Map<String, Set<Runnable>> bySid = new ConcurrentHashMap<>();

    Ledger.Watch add(String callSid, Runnable wake) {
        bySid.computeIfAbsent(callSid, sid -> ConcurrentHashMap.newKeySet()).add(wake);
        return () -> bySid.computeIfPresent(callSid, (sid, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    void wake(String callSid) {
        Set<Runnable> waiting = bySid.get(callSid);
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    /** Wakes every waiter: events may have been missed (the subscription to other replicas' events was lost). */
    void wakeAll() {
        bySid.values().forEach(waiting -> waiting.forEach(Runnable::run));
    }

    boolean watched(String callSid) {
        return bySid.containsKey(callSid);
    }
}
