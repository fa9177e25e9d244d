package dev.voicegate.twilio.limit;

import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * The wait for one lease on behalf of an owner that may give up at any moment, and then the lease while it is held:
 * the one place that knows a cancellation can cross the lease on its way. {@link #cancel()} stops the wait or gives
 * the lease back, whichever applies, and a lease that arrives after it is given back at once; until then the lease is
 * this wait's, to {@link #take()} or to give back. Create it, keep it, then {@link #start} it: the lease may arrive
 * before {@code start} returns.
 */
public final class LeaseWait {

    // Guarded by this.
    private boolean cancelled;
    private UniSubscription waiting;
    private AccountLimiter.Lease lease;

    /**
     * Subscribes to {@code acquire}: {@code granted} runs with the lease unless cancelled first (then the lease goes
     * back), {@code failed} with the refusal or failure.
     */
    public void start(Uni<AccountLimiter.Lease> acquire, Consumer<AccountLimiter.Lease> granted,
            Consumer<Throwable> failed) {
        acquire.subscribe().withSubscriber(new UniSubscriber<AccountLimiter.Lease>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
                if (!keep(subscription)) {
                    subscription.cancel();
                }
            }

            @Override
            public void onItem(AccountLimiter.Lease arrived) {
                if (hold(arrived)) {
                    granted.accept(arrived);
                } else {
                    arrived.release(); // cancelled while the lease was on its way
                }
            }

            @Override
            public void onFailure(Throwable failure) {
                failed.accept(failure);
            }
        });
    }

    private synchronized boolean keep(UniSubscription subscription) {
        if (cancelled) {
            return false;
        }
        waiting = subscription;
        return true;
    }

    private synchronized boolean hold(AccountLimiter.Lease arrived) {
        waiting = null;
        if (cancelled) {
            return false;
        }
        lease = arrived;
        return true;
    }

    /** The lease, now the caller's to release; null when none is held (not arrived yet, or cancelled). */
    public synchronized AccountLimiter.Lease take() {
        AccountLimiter.Lease taken = lease;
        lease = null;
        return taken;
    }

    /** Stops waiting, or gives the held lease back; later calls, and a lease arriving later, find nothing to keep. */
    public void cancel() {
        UniSubscription toCancel;
        AccountLimiter.Lease toRelease;
        synchronized (this) {
            cancelled = true;
            toCancel = waiting;
            toRelease = lease;
            waiting = null;
            lease = null;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        if (toRelease != null) {
            toRelease.release();
        }
    }
}
