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
    // Guarded by this.
    private boolean ended;
    private UniSubscription pending; // the wait for a lease, then the request
    private AccountLimiter.Lease lease;

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
        acquire.subscribe().withSubscriber(new UniSubscriber<AccountLimiter.Lease>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
                hold(subscription);
            }

            @Override
            public void onItem(AccountLimiter.Lease granted) {
                run(granted);
            }

            @Override
            public void onFailure(Throwable failure) {
                end(failure, null);
            }
        });
    }

    private void run(AccountLimiter.Lease granted) {
        synchronized (this) {
            if (ended) {
                granted.release(); // cancelled while the lease was on its way
                return;
            }
            lease = granted;
            pending = null;
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
                pending = subscription;
                return;
            }
        }
        subscription.cancel();
    }

    /** The outcome: the lease goes back first, then the item or failure goes on; only the first outcome counts. */
    private void end(Throwable failure, T item) {
        AccountLimiter.Lease held;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            held = lease;
            lease = null;
            pending = null;
        }
        if (held != null) {
            held.release();
        }
        if (failure != null) {
            emitter.fail(failure);
        } else {
            emitter.complete(item);
        }
    }

    /** The subscriber is gone (cancelled), or the outcome went on already: cancel and give back what is held. */
    private void cancel() {
        UniSubscription toCancel;
        AccountLimiter.Lease held;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toCancel = pending;
            held = lease;
            pending = null;
            lease = null;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        if (held != null) {
            held.release();
        }
    }
}
