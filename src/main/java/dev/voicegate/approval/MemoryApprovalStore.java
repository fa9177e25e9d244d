package dev.voicegate.approval;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;

/** The single-instance store: bounded (the oldest go first) and expiring; a few map accesses under one lock. */
final class MemoryApprovalStore implements ApprovalStore {

    private record Entry(String id, String value, long expiresAt) {
    }

    private final Map<String, Entry> bySlot = new LinkedHashMap<>();
    private final Map<String, String> slotOfId = new HashMap<>();
    private final int maxEntries;
    private final Clock clock;

    MemoryApprovalStore(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public Uni<String> open(String slot, String id, String value, Duration ttl) {
        return Uni.createFrom().item(() -> {
            synchronized (bySlot) {
                Entry current = live(slot);
                if (current != null) {
                    return current.value();
                }
                bySlot.put(slot, new Entry(id, value, clock.millis() + ttl.toMillis()));
                slotOfId.put(id, slot);
                Iterator<Map.Entry<String, Entry>> oldest = bySlot.entrySet().iterator();
                while (bySlot.size() > maxEntries && oldest.hasNext()) {
                    slotOfId.remove(oldest.next().getValue().id());
                    oldest.remove();
                }
                return null;
            }
        });
    }

    @Override
    public Uni<String> find(String id) {
        return Uni.createFrom().item(() -> {
            synchronized (bySlot) {
                Entry entry = byId(id);
                return entry == null ? null : entry.value();
            }
        });
    }

    @Override
    public Uni<Boolean> replace(String id, String expected, String value) {
        return Uni.createFrom().item(() -> {
            synchronized (bySlot) {
                Entry entry = byId(id);
                if (entry == null || !entry.value().equals(expected)) {
                    return false;
                }
                // put on an existing key keeps its place, so age order stays creation order.
                bySlot.put(slotOfId.get(id), new Entry(id, value, entry.expiresAt()));
                return true;
            }
        });
    }

    @Override
    public Uni<List<String>> live(int max) {
        return Uni.createFrom().item(() -> {
            synchronized (bySlot) {
                List<String> values = new ArrayList<>();
                for (String slot : List.copyOf(bySlot.keySet())) {
                    Entry entry = live(slot);
                    if (entry != null && values.size() < max) {
                        values.add(entry.value());
                    }
                }
                return values;
            }
        });
    }

    @Override
    public String kind() {
        return "memory";
    }

    private Entry byId(String id) {
        String slot = slotOfId.get(id);
        return slot == null ? null : live(slot);
    }

    private Entry live(String slot) {
        Entry entry = bySlot.get(slot);
        if (entry != null && entry.expiresAt() <= clock.millis()) {
            bySlot.remove(slot);
            slotOfId.remove(entry.id());
            return null;
        }
        return entry;
    }
}
