package dev.voicegate.lifecycle;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Whether this instance is shutting down ("draining"), for every package that must act on it without depending on
 * the HTTP layer. {@code api/ShutdownGate} starts it on SIGTERM; from then on the gate refuses new requests, and a
 * get_call that is waiting for a call to end answers at once with what it has: a wait may last 60 s, longer than
 * {@code quarkus.shutdown.timeout} lets a request run.
 */
@ApplicationScoped
public class Draining {

    private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    public boolean isDraining() {
        return draining;
    }

    /** Starts draining (once is enough; later calls change nothing) and wakes everything waiting on {@link #started()}. */
    public void start() {
        draining = true;
        waiters.forEach(Runnable::run);
    }

    /**
     * Completes when draining starts, at once if it has already. Cancelling the subscription forgets it, so a
     * waiter that ended for another reason leaves nothing behind.
     */
    public Uni<Void> started() {
        return Uni.createFrom().emitter(emitter -> {
            Runnable wake = () -> emitter.complete(null);
            waiters.add(wake);
            emitter.onTermination(() -> waiters.remove(wake));
            // Checked after registering, so a start() in between is never missed.
            if (draining) {
                wake.run();
            }
        });
    }
}
