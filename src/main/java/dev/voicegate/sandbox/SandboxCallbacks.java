package dev.voicegate.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.sandbox.SandboxCall.Status;
import dev.voicegate.sandbox.SandboxHooks.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Sends the status and recording callbacks of sandbox calls as the calls progress. A call's status is derived from
 * the store's clock ({@link SandboxCall}), so a timer ticks while any call awaits a callback and fires what the
 * clock says has happened: with the real clock each event leaves within a tick of its time, and a test that moves
 * the clock gets them on the next tick. A call's callbacks leave one after the other, in firing order. Each tick reads
 * the call's current record, so a call hung up through the update route gets its {@code completed} event at the
 * hang-up ({@link #hungUp} ticks at once), and nothing after.
 */
@Singleton
final class SandboxCallbacks {

    private static final Logger LOG = Logger.getLogger(SandboxCallbacks.class);
    private static final long TICK_MILLIS = 100;
    /** Real time after which a call whose clock never reaches its end (a test's clock) is forgotten. */
    private static final Duration ABANDON_AFTER = Duration.ofMinutes(2);

    private final Vertx vertx;
    private final SandboxStore store;
    private final VoicegateConfig.Sandbox config;
    private final String accountSid;
    private final List<Pending> pending = new ArrayList<>();
    private long timer = -1;
    /** Created with the first call that asks for callbacks: nothing is opened where the sandbox is off. */
    private SandboxSender sender;

    /** A call still owed callbacks; mutated only under the lock of the enclosing instance. */
    private static final class Pending {
        /** The latest record seen: the store replaces it at a hang-up, and may drop it when full. */
        SandboxCall call;
        final SandboxHooks hooks;
        final String mediaUrl;
        final long abandonAt = System.nanoTime() + ABANDON_AFTER.toNanos();
        int next;
        int sequence;
        Future<Void> chain = Future.succeededFuture();

        Pending(SandboxCall call, SandboxHooks hooks, String mediaUrl) {
            this.call = call;
            this.hooks = hooks;
            this.mediaUrl = mediaUrl;
        }
    }

    SandboxCallbacks(Vertx vertx, SandboxStore store, VoicegateConfig config) {
        this.vertx = vertx;
        this.store = store;
        this.config = config.sandbox();
        this.accountSid = this.config.accountSid();
    }

    /**
     * @param host the host the call was created through, where its recording's audio is served
     */
    synchronized void follow(SandboxCall call, SandboxHooks hooks, String host) {
        if (!hooks.any()) {
            return;
        }
        // As many calls as the store keeps: nothing a client sends grows this without bound.
        if (pending.size() >= SandboxStore.DEFAULT_MAX_CALLS) {
            LOG.debug("Sandbox callbacks skipped: too many calls awaiting callbacks");
            return;
        }
        String mediaUrl = call.recordingSid() == null ? null
                : SandboxJson.mediaUrl(accountSid, host, call.recordingSid());
        pending.add(new Pending(call, hooks, mediaUrl));
        if (sender == null) {
            sender = new SandboxSender(vertx, config.authToken(), config.callbackTimeout());
        }
        if (timer < 0) {
            timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
        }
    }

    @PreDestroy
    synchronized void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (sender != null) {
            sender.close();
        }
    }

    /** A call was hung up: its last events leave now rather than on the next tick. */
    void hungUp() {
        tick();
    }

    synchronized void tick() {
        Instant now = store.now();
        long nanos = System.nanoTime();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            p.call = store.call(p.call.sid()).orElse(p.call);
            if (advance(p, p.call.statusAt(now), now) || nanos - p.abandonAt > 0) {
                it.remove();
            }
        }
        if (pending.isEmpty() && timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Sends what has happened since the last tick; true once nothing more is owed. */
    private boolean advance(Pending p, Status status, Instant now) {
        Event[] events = Event.values();
        while (p.next < events.length) {
            Event event = events[p.next];
            Instant at = happenedAt(p.call, event, status, now);
            // An event that has not happened by a final status never will (a busy call is never answered).
            if (at == null && !status.isFinal()) {
                return false;
            }
            p.next++;
            if (at != null && p.hooks.status() != null && p.hooks.events().contains(event)) {
                Map<String, String> fields = SandboxCallbackFields.progress(p.call, accountSid, event, status, now,
                        p.mediaUrl);
                if (p.hooks.explicit()) {
                    SandboxCallbackFields.sequence(fields, p.sequence++, at);
                }
                then(p, p.hooks.status(), fields);
            }
        }
        if (p.hooks.recording() != null && p.call.hasRecording(now)) {
            then(p, p.hooks.recording(), SandboxCallbackFields.recording(p.call, accountSid, p.mediaUrl));
        }
        return true;
    }

    private void then(Pending p, SandboxHooks.Target target, Map<String, String> fields) {
        SandboxSender send = sender;
        p.chain = p.chain.compose(done -> send.send(target, fields));
    }

    /** When the event happened by {@code now}, or null if it has not (or never will). */
    private static Instant happenedAt(SandboxCall c, Event event, Status status, Instant now) {
        return switch (event) {
            case INITIATED -> c.created();
            case RINGING -> status == Status.QUEUED || !c.rang() ? null : c.created().plus(SandboxCall.QUEUED);
            case ANSWERED -> status == Status.IN_PROGRESS || status == Status.COMPLETED ? c.answered() : null;
            case COMPLETED -> status.isFinal() ? c.lastUpdate(now) : null;
        };
    }
}
