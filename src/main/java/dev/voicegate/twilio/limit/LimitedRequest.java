package dev.voicegate.twilio.limit;

import java.util.Objects;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * One subscription to {@link AccountLimiter#limit}: waits for a lease, runs the request holding it, and gives it back
 * once, when the request ends with an item, a failure or a cancellation. The slot is free again before the outcome
 * goes on, so that whatever runs next (a retry, the next lookup) can take it.
 */
final class LimitedRequest<T> {

    private final Uni<AccountLimiter.Lease> acquire;
    private final Supplier<Uni<T>> request;
    private final UniEmitter<? super T> emitter;
    private final LeaseWait slot = new LeaseWait();
    // Guarded by this.
    private boolean ended;
    private UniSubscription running; // the request, once it runs

    LimitedRequest(Uni<AccountLimiter.Lease> acquire, Supplier<Uni<T>> request, UniEmitter<? super T> emitter) {
        this.acquire = acquire;
        this.request = request;
        this.emitter = emitter;
    }

    void start() {
        // Runs at once when the subscriber has already cancelled; then nothing is waited for or sent.
        emitter.onTermination(this::cancel);
        synchronized (this) {
            if (ended) {
                return;
            }
        }
        slot.start(acquire, granted -> run(), failure -> end(failure, null));
    }

    private void run() {
        synchronized (this) {
            if (ended) {
                return; // cancelled as the lease arrived: the cancellation gives it back
            }
        }
        Uni<T> uni;
        try {
            uni = Objects.requireNonNull(request.get(), "request");
        } catch (RuntimeException e) {
            end(e, null);
            return;
        }
        uni.subscribe().withSubscriber(new UniSubscriber<T>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
                hold(subscription);
            }

            @Override
            public void onItem(T item) {
                end(null, item);
            }

            @Override
            public void onFailure(Throwable failure) {
                end(failure, null);
            }
        });
    }

    private void hold(UniSubscription subscription) {
        synchronized (this) {
            if (!ended) {
                running = subscription;
                return;
            }
        }
        subscription.cancel();
    }

    /** The outcome: the lease goes back first, then the item or failure goes on; only the first outcome counts. */
    private void end(Throwable failure, T item) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            running = null;
        }
        slot.cancel();
        if (failure != null) {
            emitter.fail(failure);
        } else {
            emitter.complete(item);
        }
    }

    /** The subscriber is gone (cancelled), or the outcome went on already: cancel and give back what is held. */
    private void cancel() {
        UniSubscription toCancel;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toCancel = running;
            running = null;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        slot.cancel();
    }
}
