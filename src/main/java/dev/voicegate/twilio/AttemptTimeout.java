package dev.voicegate.twilio;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
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
 * thread, a worker) Mutiny's {@code ifNoItem} does the same.
 */
final class AttemptTimeout {

    private AttemptTimeout() {
    }

    static <T> Uni<T> within(Uni<T> attempt, Context caller, Duration timeout, Supplier<Throwable> timedOut) {
        if (!(caller instanceof ContextInternal context)) {
            return attempt.ifNoItem().after(timeout).failWith(timedOut);
        }
        return new AbstractUni<T>() {
            @Override
            public void subscribe(UniSubscriber<? super T> downstream) {
                new Timed<T>(downstream, context, timedOut).start(attempt, timeout.toMillis());
            }
        };
    }

    /** One subscription: the first of item, failure, timeout or cancellation wins; the others do nothing. */
    private static final class Timed<T> implements UniSubscriber<T>, UniSubscription {

        private final UniSubscriber<? super T> downstream;
        private final ContextInternal context;
        private final Supplier<Throwable> timedOut;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile long timer;
        private volatile UniSubscription upstream;

        Timed(UniSubscriber<? super T> downstream, ContextInternal context, Supplier<Throwable> timedOut) {
            this.downstream = downstream;
            this.context = context;
            this.timedOut = timedOut;
        }

        void start(Uni<T> attempt, long millis) {
            downstream.onSubscribe(this);
            if (ended.get()) {
                return; // cancelled at once
            }
            timer = context.setTimer(Math.max(1, millis), id -> expire());
            attempt.subscribe().withSubscriber(this);
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            upstream = subscription;
            if (ended.get()) {
                subscription.cancel(); // timed out or cancelled before the attempt had subscribed
            }
        }

        @Override
        public void onItem(T item) {
            if (ended.compareAndSet(false, true)) {
                context.owner().cancelTimer(timer);
                downstream.onItem(item);
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                context.owner().cancelTimer(timer);
                downstream.onFailure(failure);
            }
        }

        private void expire() {
            if (ended.compareAndSet(false, true)) {
                cancelUpstream();
                downstream.onFailure(timedOut.get());
            }
        }

        @Override
        public void cancel() {
            if (ended.compareAndSet(false, true)) {
                context.owner().cancelTimer(timer);
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
