package dev.voicegate.ledger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * The ledger's writes to Redis, one at a time in the order made, so an outcome never lands before its attempt. The
 * caller never waits: a write joins the queue. When Redis does not answer, the queue keeps at most {@code max} writes
 * (later ones are dropped and counted) and is tried again on a timer until Redis is back.
 */
final class PendingWrites {

    private static final Logger LOG = Logger.getLogger(PendingWrites.class);

    /** {@code queuedAt}: System.nanoTime() when added, for the write lag. */
    private record Write(Supplier<Uni<?>> send, CompletableFuture<Void> done, long queuedAt) {
    }

    private final Deque<Write> queue = new ArrayDeque<>();
    private final int max;
    private final Vertx vertx;
    private final Duration retryEvery;
    private boolean sending;
    private boolean failing;
    private boolean closed;
    private long dropped;
    private long timer = -1;

    PendingWrites(int max, Vertx vertx, Duration retryEvery) {
        this.max = Math.max(1, max); // 0 would drop every write, Redis up or not
        this.vertx = vertx;
        this.retryEvery = retryEvery;
    }

    void add(Supplier<Uni<?>> send) {
        synchronized (this) {
            if (queue.size() >= max) {
                if (dropped++ == 0) {
                    LOG.warnf("The ledger's local queue is full (%d writes, Redis unreachable): later writes are dropped", max);
                }
                return;
            }
            queue.add(new Write(send, new CompletableFuture<>(), System.nanoTime()));
            if (sending || failing || closed) {
                return;
            }
            sending = true;
        }
        next();
    }

    /** Completes once the writes queued so far are in Redis; fails at once while Redis does not answer. */
    synchronized CompletionStage<Void> written() {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is unreachable"));
        }
        Write last = queue.peekLast();
        // A copy: a waiter that gives up (and cancels) must not cancel the write's own future.
        return last == null ? CompletableFuture.completedFuture(null) : last.done().copy();
    }

    synchronized int size() {
        return queue.size();
    }

    /** How long the oldest write not yet in Redis has waited: zero when none does. */
    synchronized Duration lag() {
        Write oldest = queue.peek();
        return oldest == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - oldest.queuedAt());
    }

    synchronized long dropped() {
        return dropped;
    }

    /** Whether writes are waiting for Redis to come back. */
    synchronized boolean failing() {
        return failing;
    }

    synchronized void close() {
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void next() {
        Write write;
        synchronized (this) {
            write = queue.peek();
            if (write == null || closed) {
                sending = false;
                return;
            }
        }
        write.send().get().subscribe().with(ok -> written(write), failure -> failed(write, failure));
    }

    private void written(Write write) {
        synchronized (this) {
            queue.remove(write);
            if (failing) {
                failing = false;
                LOG.infof("Redis answers again: the ledger's queued writes are being written (%d left)", queue.size());
            }
        }
        write.done().complete(null);
        next();
    }

    private void failed(Write write, Throwable failure) {
        if (failure instanceof ErrorType error && (error.is("ERR") || error.is("WRONGTYPE"))) {
            // Redis answered and refused this write: trying it again would block the queue for ever.
            LOG.warnf("Redis refused a ledger write, which is dropped: %s", error.slice(' ', 0));
            written(write);
            return;
        }
        synchronized (this) {
            sending = false;
            if (!failing) {
                failing = true;
                LOG.warnf("Redis does not answer: the ledger's writes are kept here (at most %d) until it does", max);
            }
            if (!closed) {
                timer = vertx.setTimer(retryEvery.toMillis(), id -> retry());
            }
        }
    }

    private void retry() {
        synchronized (this) {
            timer = -1;
            if (sending || closed) {
                return;
            }
            sending = true;
        }
        next();
    }
}
