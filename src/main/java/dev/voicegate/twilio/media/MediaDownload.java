package dev.voicegate.twilio.media;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.voicegate.twilio.limit.AccountLimiter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.WriteStream;

/**
 * A recording's audio whose headers have arrived (200 or 206) and whose body has not been read yet: it waits, paused,
 * for {@link #pipeTo}, and holds its account's slot in {@link AccountLimiter} until its last byte, a failure, or
 * {@link #close()}. Nothing after the headers is retried: bytes may have gone out to the caller already.
 */
public final class MediaDownload {

    private final AccountLimiter.Lease lease;
    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean abandoned;
    private final Vertx vertx;
    private final long claimTimer;

    /**
     * @param claimWithin how long the download waits for {@link #pipeTo} or {@link #close()}: one that nobody claims
     *                    (its caller gave up at the very moment it arrived) is closed then, so that neither the slot
     *                    nor the connection is held for ever
     */
    MediaDownload(AccountLimiter.Lease lease, HttpClientRequest request, HttpClientResponse response, Vertx vertx,
            Duration claimWithin) {
        this.lease = lease;
        this.request = request;
        this.response = response;
        response.pause();
        response.exceptionHandler(failure -> finish(true));
        this.vertx = vertx;
        this.claimTimer = vertx.setTimer(Math.max(1, claimWithin.toMillis()), ignored -> {
            if (claimed.compareAndSet(false, true)) {
                finish(true);
            }
        });
    }

    /** 200, or 206 for a {@code Range} request. */
    public int status() {
        return response.statusCode();
    }

    /** A response header of the media (after any redirect), or null. */
    public String header(String name) {
        return response.getHeader(name);
    }

    /**
     * Streams the body to {@code target} with back-pressure: while its write queue is full, the download is paused.
     * The returned future fails when either side failed, with {@link CallerGone} when it was the caller's; then
     * {@code target} is not ended (a cut body must not look complete) and the download from Twilio is cancelled.
     * The slot is given back in every case.
     */
    public Future<Void> pipeTo(WriteStream<Buffer> target) {
        if (!claimed.compareAndSet(false, true)) {
            return Future.failedFuture(new IllegalStateException("the download was closed or piped already"));
        }
        vertx.cancelTimer(claimTimer);
        Promise<Void> done = Promise.promise();
        Handler<AsyncResult<Void>> written = ack -> {
            if (ack.failed()) {
                fail(done, new CallerGone(ack.cause()));
            }
        };
        response.handler(chunk -> {
            target.write(chunk, written);
            if (target.writeQueueFull()) {
                response.pause();
                target.drainHandler(drained -> response.resume());
            }
        });
        response.exceptionHandler(failure -> fail(done, abandoned ? new CallerGone(failure) : failure));
        response.endHandler(end -> target.end(ended -> {
            if (ended.succeeded()) {
                finish(false);
                done.tryComplete();
            } else {
                fail(done, new CallerGone(ended.cause()));
            }
        }));
        response.resume();
        return done.future();
    }

    /**
     * Gives up the download: cancels it if still running and gives the slot back. Only the first call counts. A
     * transfer under way then fails with {@link CallerGone}: whoever closes it is the one that stopped reading.
     */
    public void close() {
        abandoned = true;
        claimed.set(true);
        vertx.cancelTimer(claimTimer);
        finish(true);
    }

    /** The caller's side of a transfer failed or gave up: nothing was wrong with Twilio's. */
    public static final class CallerGone extends RuntimeException {
        CallerGone(Throwable cause) {
            super("the caller stopped reading", cause, false, false);
        }
    }

    private void fail(Promise<Void> done, Throwable failure) {
        // The failure first: the reset in finish() fails the download at once when its connection is on this event
        // loop, and that failure, a reset of our own making, must not take the place of the caller's.
        done.tryFail(failure);
        finish(true);
    }

    private void finish(boolean cancel) {
        if (finished.compareAndSet(false, true)) {
            lease.release();
            if (cancel) {
                request.reset();
            }
        }
    }
}
