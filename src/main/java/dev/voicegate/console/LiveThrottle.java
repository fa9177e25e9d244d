package dev.voicegate.console;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * One live stream's changes, sent at most once per window: the first change after a quiet window goes at once, those
 * that follow within the window wait for its end and go together. (A window opened by the first change, as Mutiny's
 * {@code group().intoLists().every()} does, would hold every lone change back for the whole window.)
 */
final class LiveThrottle {

    private final long windowNanos;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final IntConsumer send;
    private long lastSent;
    private boolean sentOnce;
    private int waiting;
    private ScheduledFuture<?> trailing;
    private boolean closed;

    /** {@code send} receives the number of changes it covers. */
    LiveThrottle(Duration window, ScheduledExecutorService scheduler, LongSupplier nanoClock, IntConsumer send) {
        this.windowNanos = window.toNanos();
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.send = send;
    }

    /** A change: sent now, or with the others at the window's end. Returns at once. */
    void changed() {
        int count;
        synchronized (this) {
            waiting++;
            if (closed || trailing != null) {
                return;
            }
            long wait = sentOnce ? lastSent + windowNanos - nanoClock.getAsLong() : 0;
            if (wait > 0) {
                trailing = scheduler.schedule(this::flush, wait, TimeUnit.NANOSECONDS);
                return;
            }
            count = take();
        }
        send.accept(count);
    }

    private void flush() {
        int count;
        synchronized (this) {
            trailing = null;
            if (closed) {
                return;
            }
            count = take();
        }
        send.accept(count);
    }

    private int take() {
        int count = waiting;
        waiting = 0;
        lastSent = nanoClock.getAsLong();
        sentOnce = true;
        return count;
    }

    /** The stream ended: nothing more is sent, and a waiting send is dropped. */
    synchronized void close() {
        closed = true;
        if (trailing != null) {
            trailing.cancel(false);
        }
    }
}
