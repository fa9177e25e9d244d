package dev.voicegate.suspension;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.smallrye.mutiny.Uni;

/** One replica's suspensions; lost on restart. Bounded: only configured named keys are ever suspended. */
final class MemorySuspensionStore implements SuspensionStore {

    private final Map<String, Suspension> byKey = new ConcurrentHashMap<>();

    @Override
    public Uni<Void> put(Suspension suspension) {
        byKey.put(suspension.key(), suspension);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> remove(String key) {
        byKey.remove(key);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Map<String, Suspension>> load() {
        return Uni.createFrom().item(Map.copyOf(byKey));
    }

    @Override
    public void listen(Runnable changed) {
    }

    @Override
    public void close() {
    }

    @Override
    public String kind() {
        return "memory";
    }
}
