package dev.voicegate.twilio.limit;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One subscription to this replica's slots, for {@link AccountLimiter#acquire}: a place in its turn's queue (or a
 * refusal at the door), then a slot, then nothing. A ticket takes a free slot in {@link #admitTo}, or a released one
 * passed on by {@link #handOver}. With Redis, the shared budget's slot is asked for only after this one is held
 * ({@link SharedAcquire}), so a ticket knows nothing of it.
 */
final class SlotTicket implements UniSubscription, AccountLimiter.Lease {

    private enum State {
        /** Waiting in the account's queue. */
        QUEUED,
        /** Holding a slot that is on its way to the subscriber. */
        GRANTED,
        /** Holding a slot the subscriber received: only {@link #release()} gives it back. */
        HELD,
        /** Nothing held, nothing waited for. */
        DONE
    }

    final Turn turn;
    private final AccountLimiter limiter;
    private final String key;
    /** Whether the hold time feeds the door's estimate (requests, not streamed downloads). */
    private final boolean timed;
    private final UniSubscriber<? super AccountLimiter.Lease> subscriber;
    private final Context context = Vertx.currentContext();
    private AccountSlots account;
    // Guarded by account's monitor.
    private State state;
    private Runnable timer; // stops the wait timer
    private long heldSince;
    private LimitReachedException refusal;

    SlotTicket(AccountLimiter limiter, String key, Turn turn, boolean timed,
            UniSubscriber<? super AccountLimiter.Lease> subscriber) {
        this.limiter = limiter;
        this.key = key;
        this.turn = turn;
        this.timed = timed;
        this.subscriber = subscriber;
    }

    void enter() {
        State admitted;
        do {
            admitted = admitTo(limiter.account(key));
        } while (admitted == null);
        // Only now may the subscriber cancel: the account is known, so a cancellation always finds what to
        // give back (before, one that came at once found no account to synchronize on).
        subscriber.onSubscribe(this);
        switch (admitted) {
            case GRANTED -> deliver();
            case QUEUED -> {
                if (turn == Turn.FIRST) {
                    startTimer(); // a follow-up waits as long as its caller does
                }
            }
            default -> subscriber.onFailure(refusal);
        }
    }

    /** Takes a free slot, or a place in the queue, or is refused at the door; null when the account was just dropped. */
    private State admitTo(AccountSlots candidate) {
        synchronized (candidate) {
            if (candidate.retired) {
                return null;
            }
            account = candidate;
            if (candidate.inFlight < limiter.maxConcurrent) {
                candidate.inFlight++;
                takeSlot();
            } else if (turn == Turn.FOLLOW_UP) {
                candidate.enqueue(this);
                state = State.QUEUED;
            } else if (candidate.firsts.size() >= limiter.maxQueued) {
                refusal = limiter.queueFull();
                limiter.doorRefused(key, "queue_full");
                state = State.DONE;
            } else {
                long estimate = limiter.door.estimate(candidate.followUps.size(), candidate.firsts.size(),
                        candidate.firstsInFlight);
                if (limiter.door.admits(estimate)) {
                    candidate.enqueue(this);
                    state = State.QUEUED;
                } else {
                    refusal = limiter.wouldWaitTooLong(estimate);
                    limiter.doorRefused(key, "admission_wait");
                    state = State.DONE;
                }
            }
            return state;
        }
    }

    /** Under the account's monitor: this ticket holds a slot now, on its way to the subscriber. */
    private void takeSlot() {
        state = State.GRANTED;
        account.taken(turn);
        limiter.door.granted(turn);
    }

    private void startTimer() {
        Runnable stop = schedule(this::expire, Math.max(1, limiter.maxWait.toMillis()));
        boolean stillQueued;
        synchronized (account) {
            stillQueued = state == State.QUEUED;
            if (stillQueued) {
                timer = stop;
            }
        }
        if (!stillQueued) {
            stop.run();
        }
    }

    /** A Vert.x timer on this request's context (cancelled timers leave no trace), else Mutiny's scheduler. */
    private Runnable schedule(Runnable task, long millis) {
        if (context != null) {
            Vertx vertx = context.owner();
            long id = vertx.setTimer(millis, ignored -> task.run());
            return () -> vertx.cancelTimer(id);
        }
        ScheduledFuture<?> future = Infrastructure.getDefaultWorkerPool().schedule(task, millis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    /** The wait is over: leave the queue and fail, unless a slot or a cancellation came first. */
    private void expire() {
        synchronized (account) {
            if (state != State.QUEUED) {
                return;
            }
            account.dequeue(this);
            state = State.DONE;
        }
        limiter.doorRefused(key, "queue_wait");
        onOwnContext(() -> subscriber.onFailure(limiter.waitedTooLong()));
    }

    /** Granted a slot by another lease's release: continue on this request's own Vert.x context. */
    private void handedOver() {
        Runnable stop;
        synchronized (account) {
            stop = timer;
            timer = null;
        }
        if (stop != null) {
            stop.run();
        }
        onOwnContext(this::deliver);
    }

    private void deliver() {
        synchronized (account) {
            if (state != State.GRANTED) {
                return; // cancelled while the grant was on its way; the slot was passed on already
            }
            state = State.HELD;
            heldSince = System.nanoTime();
        }
        subscriber.onItem(this);
    }

    /** The subscriber gave up: leave the queue, or pass on a slot it has not received. */
    @Override
    public void cancel() {
        giveBack(false);
    }

    @Override
    public void release() {
        giveBack(true);
    }

    private void giveBack(boolean received) {
        Runnable toStop = null;
        SlotTicket next = null;
        synchronized (account) {
            if (state == State.QUEUED) {
                account.dequeue(this);
                toStop = timer;
            } else if (state == State.GRANTED || (state == State.HELD && received)) {
                if (timed && state == State.HELD) {
                    limiter.door.held(System.nanoTime() - heldSince);
                }
                account.given(turn);
                next = handOver();
            } else {
                return;
            }
            state = State.DONE;
            timer = null;
        }
        if (toStop != null) {
            toStop.run();
        }
        if (next != null) {
            next.handedOver();
        }
    }

    /** Passes this slot to the next waiting request (follow-ups first), or frees it; drops the account when idle. */
    private SlotTicket handOver() {
        SlotTicket next = account.next();
        if (next != null) {
            next.takeSlot(); // same account, same monitor
            return next;
        }
        account.inFlight--;
        if (account.inFlight == 0) {
            account.retired = true;
            limiter.retire(key, account);
        }
        return null;
    }

    private void onOwnContext(Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }
}
