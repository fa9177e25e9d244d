package dev.voicegate.twilio.limit;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One subscription to {@link SharedBudget#after}: the local lease, then a slot of the shared budget. While the budget
 * is full it asks again after a short jittered pause (a timer, never a parked thread). A first request asks until the
 * queue wait ({@code TWILIO_MAX_QUEUE_WAIT}, counted from the subscription) is over: then it fails with
 * {@link LimitReachedException}, the local lease given back and nothing sent. A follow-up asks until it gets a
 * slot or its caller gives up. Cancelling gives back whatever is
 * held; a slot that arrives after that is given back at once. The lease goes to the subscriber on its own context.
 */
final class SharedAcquire implements UniSubscription {

    private final SharedBudget budget;
    private final String account;
    private final Uni<AccountLimiter.Lease> local;
    private final UniSubscriber<? super AccountLimiter.Lease> subscriber;
    private final Context context = Vertx.currentContext();
    private final Turn turn;
    private final long deadline;
    // Guarded by this.
    private boolean ended;
    private UniSubscription localWait;
    private AccountLimiter.Lease localLease;
    private long timer = -1;
    private int tries;

    SharedAcquire(SharedBudget budget, String account, Turn turn, Uni<AccountLimiter.Lease> local,
            UniSubscriber<? super AccountLimiter.Lease> subscriber) {
        this.budget = budget;
        this.account = account;
        this.turn = turn;
        this.local = local;
        this.subscriber = subscriber;
        this.deadline = System.nanoTime() + budget.settings().maxWait().toNanos();
    }

    void start() {
        subscriber.onSubscribe(this);
        local.subscribe().withSubscriber(new UniSubscriber<AccountLimiter.Lease>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
                boolean cancel;
                synchronized (SharedAcquire.this) {
                    cancel = ended;
                    localWait = subscription;
                }
                if (cancel) {
                    subscription.cancel();
                }
            }

            @Override
            public void onItem(AccountLimiter.Lease lease) {
                boolean held;
                synchronized (SharedAcquire.this) {
                    held = !ended;
                    if (held) {
                        localLease = lease;
                        localWait = null;
                    }
                }
                if (held) {
                    ask();
                } else {
                    lease.release(); // cancelled while the local slot was on its way
                }
            }

            @Override
            public void onFailure(Throwable failure) {
                fail(failure, false);
            }
        });
    }

    private void ask() {
        budget.tryTake(account).subscribe().with(this::answered, failure -> fail(failure, false));
    }

    private void answered(AccountLimiter.Lease shared) {
        if (shared != null) {
            grant(shared);
            return;
        }
        // A follow-up is never refused here either (as in AccountLimiter): it asks again until it gets a slot or its
        // caller gives up (the per-attempt timeout cancels), and it asks more often than a first request.
        boolean followUp = turn == Turn.FOLLOW_UP;
        long left = followUp ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (left <= 0) {
            fail(budget.full(), true);
            return;
        }
        synchronized (this) {
            if (ended) {
                return;
            }
            if (tries++ == 0) {
                budget.metrics().waited(SharedBudget.label(account));
            }
            long pause = Math.max(1, Math.min(SharedBudget.pause(followUp ? Math.min(tries, 2) : tries), left / 1_000_000));
            timer = budget.vertx().setTimer(pause, ignored -> {
                synchronized (this) {
                    if (ended) {
                        return;
                    }
                    timer = -1;
                }
                ask();
            });
        }
    }

    private void grant(AccountLimiter.Lease shared) {
        AccountLimiter.Lease both;
        synchronized (this) {
            if (!ended) {
                ended = true;
                AccountLimiter.Lease first = localLease;
                localLease = null;
                both = new Both(shared, first);
            } else {
                both = null;
            }
        }
        if (both == null) {
            shared.release(); // cancelled while the slot was on its way
            return;
        }
        onOwnContext(() -> subscriber.onItem(both));
    }

    private void fail(Throwable failure, boolean refused) {
        AccountLimiter.Lease toRelease;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toRelease = localLease;
            localLease = null;
        }
        if (toRelease != null) {
            toRelease.release();
        }
        if (refused) {
            budget.metrics().refused(SharedBudget.label(account));
        }
        onOwnContext(() -> subscriber.onFailure(failure));
    }

    @Override
    public void cancel() {
        UniSubscription toCancel;
        AccountLimiter.Lease toRelease;
        long toStop;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toCancel = localWait;
            toRelease = localLease;
            toStop = timer;
            localWait = null;
            localLease = null;
            timer = -1;
        }
        if (toStop != -1) {
            budget.vertx().cancelTimer(toStop);
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        if (toRelease != null) {
            toRelease.release();
        }
    }

    private void onOwnContext(Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    /** The shared slot and the local one: the shared one goes back first, so the next local holder can take it. */
    private static final class Both implements AccountLimiter.Lease {
        private final AccountLimiter.Lease shared;
        private final AccountLimiter.Lease local;
        private boolean released;

        Both(AccountLimiter.Lease shared, AccountLimiter.Lease local) {
            this.shared = shared;
            this.local = local;
        }

        @Override
        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            shared.release();
            local.release();
        }
    }
}
