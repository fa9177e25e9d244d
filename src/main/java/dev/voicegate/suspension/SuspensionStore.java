package dev.voicegate.suspension;

import java.util.Map;

import io.smallrye.mutiny.Uni;

/** Where suspensions live; {@link Suspensions} keeps each replica's local copy of them. */
public interface SuspensionStore {

    Uni<Void> put(Suspension suspension);

    /** Removes the key's suspension, if any. */
    Uni<Void> remove(String key);

    /** Every suspension, by key name. */
    Uni<Map<String, Suspension>> load();

    /**
     * Calls {@code changed} (on no particular thread) when another replica may have changed a suspension, or when
     * changes may have been missed (the subscription came back after an outage). Memory: never.
     */
    void listen(Runnable changed);

    void close();

    /** {@code memory} or {@code redis}, for logs. */
    String kind();
}
