package dev.voicegate.twilio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.voicegate.config.VoicegateConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Voicegate's own bound on requests to Twilio in flight per account, all operations together, so that the
 * service stays under Twilio's per-account concurrency limit (429, error 20429) rather than finding it.
 * A request beyond the bound waits in a FIFO queue of bounded length for a bounded time; when the queue is
 * full, or the wait is over, it fails at once with {@link TwilioException.Throttled} and nothing is sent.
 * <p>
 * A slot is a {@link Lease}: {@link #acquire} hands one out, its holder gives it back with {@link Lease#release()}.
 * {@link #limit} holds one for the life of a {@code Uni} request; a streamed download holds one until its last byte.
 * Non-blocking: a waiting request is a queued callback, never a parked thread. Accounts are keyed by their SID in
 * lower case; an account with nothing in flight and nothing waiting is dropped from the map.
 */
@ApplicationScoped
public class AccountLimiter {

    /** One of an account's slots, held until released. */
    public interface Lease {
        /** Gives the slot back (to the longest waiting request, if any); only the first call counts. */
        void release();
    }

    private final int maxConcurrent;
    private final int maxQueued;
    private final Duration maxWait;
    private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final SharedBudget shared;

    @Inject
    AccountLimiter(VoicegateConfig config, SharedBudget shared) {
        this(config.upstream().maxConcurrentPerAccount(), config.upstream().maxQueuedPerAccount(),
                config.upstream().maxQueueWait(), shared);
    }

    AccountLimiter(int maxConcurrent, int maxQueued, Duration maxWait) {
        this(maxConcurrent, maxQueued, maxWait, SharedBudget.off());
    }

    AccountLimiter(int maxConcurrent, int maxQueued, Duration maxWait, SharedBudget shared) {
        if (maxConcurrent < 1 || maxQueued < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("invalid upstream limits: " + maxConcurrent + ", " + maxQueued
                    + ", " + maxWait);
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.maxWait = maxWait;
        this.shared = shared;
    }

    /**
     * A slot of this account, once one is free; fails with {@link TwilioException.Throttled} when the queue is full
     * or the wait is over. Each subscription is one lease. Cancelling before the lease arrives gives up the place in
     * the queue (or the slot just granted); a lease that arrives is the subscriber's to release, even if it cancelled
     * at that very moment, so subscribe with a subscriber that releases such a lease rather than dropping it.
     * With Redis, the lease is a local slot and then one of the budget every replica shares ({@link SharedBudget}).
     */
    public Uni<Lease> acquire(String accountSid) {
        String key = Objects.requireNonNull(accountSid, "accountSid").toLowerCase(Locale.ROOT);
        // The one composition point of the shared budget: the local slot first, then the shared one; the lease
        // handed out gives both back.
        return shared.after(key, new AbstractUni<>() {
            @Override
            public void subscribe(UniSubscriber<? super Lease> subscriber) {
                new Ticket(key, subscriber).enter();
            }
        });
    }

    /**
     * Subscribes to {@code request.get()} once the account has a free slot, and holds the slot until it ends with
     * an item, a failure or a cancellation (a fault-tolerance timeout cancels). Each subscription is one request.
     */
    public <T> Uni<T> limit(String accountSid, Supplier<Uni<T>> request) {
        Uni<Lease> lease = acquire(accountSid);
        return Uni.createFrom().emitter(emitter -> new LimitedRequest<>(lease, request, emitter).start());
    }

    /** Requests of this account holding a slot now. */
    public int inFlight(String accountSid) {
        Account account = accounts.get(accountSid.toLowerCase(Locale.ROOT));
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            return account.inFlight;
        }
    }

    /** Requests of this account waiting for a slot now. */
    public int queued(String accountSid) {
        Account account = accounts.get(accountSid.toLowerCase(Locale.ROOT));
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            return account.queue.size();
        }
    }

    /** Accounts with a request in flight or waiting. */
    public int busyAccounts() {
        return accounts.size();
    }

    private TwilioException.Throttled queueFull() {
        return new TwilioException.Throttled(limitReached() + " and " + maxQueued + " more "
                + (maxQueued == 1 ? "request is" : "requests are") + " already waiting");
    }

    private TwilioException.Throttled waitedTooLong() {
        return new TwilioException.Throttled(limitReached() + " and no slot freed up within " + format(maxWait));
    }

    private String limitReached() {
        return "Voicegate's own limit of " + maxConcurrent + " concurrent Twilio requests for this account is reached";
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** One account's slots. Guarded by its own monitor; {@code retired} once removed from the map. */
    private static final class Account {
        int inFlight;
        final ArrayDeque<Ticket> queue = new ArrayDeque<>();
        boolean retired;
    }

    private enum State {
        /** Waiting in the account's queue. */
        QUEUED,
        /** Holding a slot that is on its way to the subscriber. */
        GRANTED,
        /** Holding a slot the subscriber received: only {@link Lease#release()} gives it back. */
        HELD,
        /** Nothing held, nothing waited for. */
        DONE
    }

    /** One subscription to {@link #acquire}: a place in the queue, then a slot, then nothing. */
    private final class Ticket implements UniSubscription, Lease {
        private final String key;
        private final UniSubscriber<? super Lease> subscriber;
        private final Context context = Vertx.currentContext();
        private Account account;
        // Guarded by account's monitor.
        private State state;
        private Runnable timer; // stops the wait timer

        Ticket(String key, UniSubscriber<? super Lease> subscriber) {
            this.key = key;
            this.subscriber = subscriber;
        }

        void enter() {
            State admitted;
            do {
                admitted = admitTo(accounts.computeIfAbsent(key, k -> new Account()));
            } while (admitted == null);
            // Only now may the subscriber cancel: the account is known, so a cancellation always finds what to
            // give back (before, one that came at once found no account to synchronize on).
            subscriber.onSubscribe(this);
            switch (admitted) {
                case GRANTED -> deliver();
                case QUEUED -> startTimer();
                default -> subscriber.onFailure(queueFull());
            }
        }

        /** Takes a slot, or a place in the queue, or neither; null when the account was just dropped. */
        private State admitTo(Account candidate) {
            synchronized (candidate) {
                if (candidate.retired) {
                    return null;
                }
                account = candidate;
                if (candidate.inFlight < maxConcurrent) {
                    candidate.inFlight++;
                    state = State.GRANTED;
                } else if (candidate.queue.size() < maxQueued) {
                    candidate.queue.addLast(this);
                    state = State.QUEUED;
                } else {
                    state = State.DONE;
                }
                return state;
            }
        }

        private void startTimer() {
            Runnable stop = schedule(this::expire, Math.max(1, maxWait.toMillis()));
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
            ScheduledFuture<?> future = Infrastructure.getDefaultWorkerPool()
                    .schedule(task, millis, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        }

        /** The wait is over: leave the queue and fail, unless a slot or a cancellation came first. */
        private void expire() {
            synchronized (account) {
                if (state != State.QUEUED) {
                    return;
                }
                account.queue.remove(this);
                state = State.DONE;
            }
            onOwnContext(() -> subscriber.onFailure(waitedTooLong()));
        }

        /** Granted a slot by another lease's release: continue on this request's own Vert.x context. */
        private void granted() {
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
            Ticket next = null;
            synchronized (account) {
                if (state == State.QUEUED) {
                    account.queue.remove(this);
                    toStop = timer;
                } else if (state == State.GRANTED || (state == State.HELD && received)) {
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
                next.granted();
            }
        }

        /** Passes this slot to the longest-waiting request, or frees it; drops the account when idle. */
        private Ticket handOver() {
            Ticket next = account.queue.pollFirst();
            if (next != null) {
                next.state = State.GRANTED;
                return next;
            }
            account.inFlight--;
            if (account.inFlight == 0) {
                account.retired = true;
                accounts.remove(key, account);
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
}
