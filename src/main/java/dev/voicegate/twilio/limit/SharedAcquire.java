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
    private final LeaseWait localSlot = new LeaseWait();
    // Guarded by this.
    private boolean ended;
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
        localSlot.start(local, held -> ask(), failure -> fail(failure, false));
    }

    private void ask() {
        budget.tryTake(account).subscribe().with(this::answered, failure -> fail(failure, false));
    }

    /** Redis answered: a shared slot, or null when the budget is full; then wait and ask again, or give up. */
    private void answered(AccountLimiter.Lease shared) {
        if (shared != null) {
            grant(shared);
            return;
        }
        long left = nanosLeft();
        if (left <= 0) {
            fail(budget.full(), true);
            return;
        }
        synchronized (this) {
            if (ended) {
                return;
            }
            if (++tries == 1) {
                budget.metrics().waited(budget.metricLabel(account));
            }
            timer = budget.vertx().setTimer(pauseMillis(left), ignored -> askAgain());
        }
    }

    /**
     * How long this request may still wait. A follow-up is never refused here either (as in AccountLimiter): it asks
     * again until it gets a slot or its caller gives up (the per-attempt timeout cancels).
     */
    private long nanosLeft() {
        return turn == Turn.FOLLOW_UP ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    /**
     * The pause before the next try: it grows with the tries (a follow-up's stops growing at the second, so that it
     * asks more often) and never passes the deadline.
     */
    private long pauseMillis(long nanosLeft) {
        int step = turn == Turn.FOLLOW_UP ? Math.min(tries, 2) : tries;
        return Math.max(1, Math.min(SharedBudget.pause(step), nanosLeft / 1_000_000));
    }

    private void askAgain() {
        synchronized (this) {
            if (ended) {
                return;
            }
            timer = -1;
        }
        ask();
    }

    private void grant(AccountLimiter.Lease shared) {
        AccountLimiter.Lease both;
        synchronized (this) {
            both = ended ? null : new Both(shared, localSlot.take());
            ended = true;
        }
        if (both == null) {
            shared.release(); // cancelled while the slot was on its way
            return;
        }
        onOwnContext(() -> subscriber.onItem(both));
    }

    private void fail(Throwable failure, boolean refused) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        localSlot.cancel();
        if (refused) {
            budget.metrics().refused(budget.metricLabel(account));
        }
        onOwnContext(() -> subscriber.onFailure(failure));
    }

    @Override
    public void cancel() {
        long toStop;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toStop = timer;
            timer = -1;
        }
        if (toStop != -1) {
            budget.vertx().cancelTimer(toStop);
        }
        localSlot.cancel();
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
