package dev.voicegate.twilio;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;

/**
 * The one timer of a Twilio attempt: fails it with {@code timeout} after the given time and cancels it, so that its
 * slot and connection are given back at once. The timer is a Vert.x timer on the caller's own context, set when the
 * attempt is subscribed and cancelled when it ends: nothing leaves the event loop, and a cancelled timer leaves no
 * trace (a scheduled executor keeps a cancelled task queued until its time). Without a Vert.x context (a test
 * thread, a worker) Mutiny's scheduler times it.
 * <p>
 * An attempt may also be {@linkplain Abandonment abandoned} when its caller went away: it is cancelled and fails
 * with a {@link CancellationException}, so that the guard around it ends too (neither retried nor counted by a
 * breaker) instead of waiting for an answer nobody reads.
 */
final class AttemptTimeout {

    private AttemptTimeout() {
    }

    static <T> Uni<T> within(Uni<T> attempt, Context caller, Duration timeout, Supplier<Throwable> timedOut,
            Abandonment abandonment) {
        ContextInternal context = caller instanceof ContextInternal internal ? internal : null;
        return new AbstractUni<T>() {
            @Override
            public void subscribe(UniSubscriber<? super T> downstream) {
                new Timed<T>(downstream, context, timedOut).start(attempt, timeout.toMillis(), abandonment);
            }
        };
    }

    /** The attempts of one guarded operation whose caller may go away; {@link #abandon()} ends the one under way. */
    static final class Abandonment {

        private volatile boolean abandoned;
        private volatile Timed<?> current;

        void abandon() {
            abandoned = true;
            Timed<?> attempt = current;
            if (attempt != null) {
                attempt.abandon();
            }
        }
    }

    /** One subscription: the first of item, failure, timeout, abandonment or cancellation wins; the rest do nothing. */
    private static final class Timed<T> implements UniSubscriber<T>, UniSubscription {

        private final UniSubscriber<? super T> downstream;
        private final ContextInternal context;
        private final Supplier<Throwable> timedOut;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Runnable stopTimer = () -> {
        };
        private volatile UniSubscription upstream;

        Timed(UniSubscriber<? super T> downstream, ContextInternal context, Supplier<Throwable> timedOut) {
            this.downstream = downstream;
            this.context = context;
            this.timedOut = timedOut;
        }

        void start(Uni<T> attempt, long millis, Abandonment abandonment) {
            downstream.onSubscribe(this);
            if (ended.get()) {
                return; // cancelled at once
            }
            if (abandonment != null) {
                abandonment.current = this;
                if (abandonment.abandoned) {
                    abandon();
                    return;
                }
            }
            stopTimer = schedule(Math.max(1, millis));
            attempt.subscribe().withSubscriber(this);
        }

        private Runnable schedule(long millis) {
            if (context != null) {
                long id = context.setTimer(millis, ignored -> end(timedOut.get()));
                return () -> context.owner().cancelTimer(id);
            }
            ScheduledFuture<?> future = Infrastructure.getDefaultWorkerPool()
                    .schedule(() -> end(timedOut.get()), millis, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            upstream = subscription;
            if (ended.get()) {
                subscription.cancel(); // timed out, abandoned or cancelled before the attempt had subscribed
            }
        }

        @Override
        public void onItem(T item) {
            if (ended.compareAndSet(false, true)) {
                stopTimer.run();
                downstream.onItem(item);
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                stopTimer.run();
                downstream.onFailure(failure);
            }
        }

        void abandon() {
            end(new CancellationException("the caller went away"));
        }

        /** Timed out or abandoned: the attempt is cancelled, and fails with {@code failure}. */
        private void end(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                stopTimer.run();
                cancelUpstream();
                downstream.onFailure(failure);
            }
        }

        @Override
        public void cancel() {
            if (ended.compareAndSet(false, true)) {
                stopTimer.run();
                cancelUpstream();
            }
        }

        private void cancelUpstream() {
            UniSubscription subscription = upstream;
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }
}
