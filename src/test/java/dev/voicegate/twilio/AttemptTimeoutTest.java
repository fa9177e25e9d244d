package dev.voicegate.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The one timer of a Twilio attempt: on the caller's Vert.x context, cancelling the attempt when it fires or its caller goes away. */
class AttemptTimeoutTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAttemptWithoutAnAnswerFailsOnItsOwnContextAndIsCancelled() throws Exception {
        Context context = vertx.getOrCreateContext();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<Context> failedOn = new AtomicReference<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        context.runOnContext(ignored -> AttemptTimeout.within(Uni.createFrom().<String>nothing()
                .onCancellation().invoke(() -> cancelled.set(true)), context, Duration.ofMillis(50), this::timedOut, null)
                .subscribe().with(item -> failure.complete(null), thrown -> {
                    failedOn.set(Vertx.currentContext());
                    failure.complete(thrown);
                }));

        assertInstanceOf(TimeoutException.class, failure.get(10, TimeUnit.SECONDS));
        assertTrue(cancelled.get(), "the attempt is cancelled, so that its slot and connection are given back");
        assertEquals(context, failedOn.get());
    }

    @Test
    void anAnswerBeforeTheTimeWinsAndTheTimerIsCancelled() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        context.runOnContext(ignored -> AttemptTimeout.within(Uni.createFrom().item("answer"), context,
                Duration.ofMillis(200), () -> {
                    timedOut.set(true);
                    return timedOut();
                }, null).subscribe().with(outcome::complete, outcome::complete));

        assertEquals("answer", outcome.get(10, TimeUnit.SECONDS));
        // The timer is gone: a timer set after it, for longer, fires while it never does.
        CompletableFuture<Void> later = new CompletableFuture<>();
        context.runOnContext(ignored -> vertx.setTimer(400, id -> later.complete(null)));
        later.get(10, TimeUnit.SECONDS);
        assertTrue(!timedOut.get(), "the timer of an answered attempt never fires");
    }

    @Test
    void aCancelledCallerCancelsTheAttempt() throws Exception {
        Context context = vertx.getOrCreateContext();
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            var subscription = AttemptTimeout.within(Uni.createFrom().<String>nothing()
                    .onCancellation().invoke(() -> cancelled.set(true)), context, Duration.ofSeconds(30), this::timedOut, null)
                    .subscribe().with(item -> { }, failure -> { });
            subscription.cancel();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
        assertTrue(cancelled.get());
    }

    @Test
    void anAbandonedAttemptIsCancelledAndFailsAsCancelledAndSoDoesTheNextOne() throws Exception {
        Context context = vertx.getOrCreateContext();
        AttemptTimeout.Abandonment abandonment = new AttemptTimeout.Abandonment();
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        context.runOnContext(ignored -> AttemptTimeout.within(Uni.createFrom().<String>nothing()
                .onCancellation().invoke(() -> cancelled.set(true)), context, Duration.ofSeconds(30), this::timedOut,
                abandonment).subscribe().with(item -> failure.complete(null), failure::complete));
        context.runOnContext(ignored -> abandonment.abandon());

        assertInstanceOf(CancellationException.class, failure.get(10, TimeUnit.SECONDS));
        assertTrue(cancelled.get(), "the attempt under way is cancelled: its slot and connection are given back");

        AtomicBoolean subscribed = new AtomicBoolean();
        Throwable next = AttemptTimeout.within(Uni.createFrom().item("never asked").onSubscription()
                .invoke(() -> subscribed.set(true)), context, Duration.ofSeconds(30), this::timedOut, abandonment)
                .onItem().transform(Object.class::cast).onFailure().recoverWithItem(thrown -> thrown)
                .await().atMost(Duration.ofSeconds(10)) instanceof Throwable t ? t : null;
        assertInstanceOf(CancellationException.class, next, "a retry after the caller went away is not sent");
        assertTrue(!subscribed.get());
    }

    @Test
    void withoutAVertxContextMutinyTimesTheAttempt() {
        Throwable failure = AttemptTimeout.within(Uni.createFrom().<String>nothing(), null, Duration.ofMillis(20),
                this::timedOut, null).onItem().transform(Object.class::cast).onFailure().recoverWithItem(thrown -> thrown)
                .await().atMost(Duration.ofSeconds(10)) instanceof Throwable t ? t : null;
        assertInstanceOf(TimeoutException.class, failure);
    }

    private TimeoutException timedOut() {
        return new TimeoutException("no answer");
    }
}
