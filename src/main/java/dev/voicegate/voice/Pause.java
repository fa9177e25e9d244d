package dev.voicegate.voice;

import java.time.Duration;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.lifecycle.Draining;
import dev.voicegate.ledger.Ledger;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The waits of a followed call: a Vert.x timer on the caller's context, ended early (on that context) when
 * draining starts or, for {@link #untilEvent}, when the call ledger records an event of the call.
 */
@ApplicationScoped
class Pause {

    private final Vertx vertx;
    private final Draining draining;
    private final Ledger ledger;

    Pause(Vertx vertx, Draining draining, Ledger ledger) {
        this.vertx = vertx;
        this.draining = draining;
        this.ledger = ledger;
    }

    Uni<Void> of(Duration duration) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = vertx.getOrCreateContext();
            long timer = vertx.setTimer(Math.max(1, duration.toMillis()), id -> emitter.complete(null));
            Cancellable drain = draining.started().subscribe()
                    .with(started -> context.runOnContext(v -> emitter.complete(null)));
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                drain.cancel();
            });
        });
    }

    /**
     * At most {@code duration}: {@code true} when an event of the call ended it, or when the ledger already shows
     * another status than {@code known} (an event recorded just before the watch began).
     */
    Uni<Boolean> untilEvent(String callSid, String known, Duration duration) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = vertx.getOrCreateContext();
            long timer = vertx.setTimer(Math.max(1, duration.toMillis()), id -> emitter.complete(false));
            Ledger.Watch watch = ledger.watch(callSid, () -> context.runOnContext(v -> emitter.complete(true)));
            ledger.find(callSid).subscribe().with(entry -> {
                if (entry.isPresent() && !Objects.equals(entry.get().status(), known)) {
                    context.runOnContext(v -> emitter.complete(true));
                }
            }, failure -> {
            });
            Cancellable drain = draining.started().subscribe()
                    .with(started -> context.runOnContext(v -> emitter.complete(false)));
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                watch.close();
                drain.cancel();
            });
        });
    }
}
