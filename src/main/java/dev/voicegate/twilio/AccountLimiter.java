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
import io.smallrye.mutiny.subscription.UniEmitter;
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
 * Non-blocking: a waiting request is a queued callback, never a parked thread. A slot is released exactly
 * once, when the request ends with an item, a failure or a cancellation (a fault-tolerance timeout cancels).
 * Accounts are keyed by their SID in lower case; an account with nothing in flight and nothing waiting is
 * dropped from the map, so the map only holds busy accounts.
 */
@ApplicationScoped
public class AccountLimiter {

    private final int maxConcurrent;
    private final int maxQueued;
    private final Duration maxWait;
    private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();

    @Inject
    AccountLimiter(VoicegateConfig config) {
        this(config.upstream().maxConcurrentPerAccount(), config.upstream().maxQueuedPerAccount(),
                config.upstream().maxQueueWait());
    }

    AccountLimiter(int maxConcurrent, int maxQueued, Duration maxWait) {
        if (maxConcurrent < 1 || maxQueued < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("invalid upstream limits: " + maxConcurrent + ", " + maxQueued
                    + ", " + maxWait);
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.maxWait = maxWait;
    }

    /**
     * Subscribes to {@code request.get()} once the account has a free slot, and holds the slot until it ends.
     * Nothing happens until the returned {@code Uni} is subscribed; each subscription is one request.
     */
    public <T> Uni<T> limit(String accountSid, Supplier<Uni<T>> request) {
        String key = Objects.requireNonNull(accountSid, "accountSid").toLowerCase(Locale.ROOT);
        return Uni.createFrom().emitter(emitter -> new Slot<>(key, request, emitter).enter());
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
        final ArrayDeque<Slot<?>> queue = new ArrayDeque<>();
        boolean retired;
    }

    private enum State {
        NEW, QUEUED, RUNNING, DONE
    }

    /** One subscription to a limited request: waits for a slot, runs, and gives the slot back once. */
    private final class Slot<T> implements UniSubscriber<T> {
        private final String key;
        private final Supplier<Uni<T>> request;
        private final UniEmitter<? super T> emitter;
        private final Context context = Vertx.currentContext();
        private Account account;
        // Guarded by account's monitor.
        private State state = State.NEW;
        private UniSubscription upstream;
        private Runnable timer; // stops the wait timer

        Slot(String key, Supplier<Uni<T>> request, UniEmitter<? super T> emitter) {
            this.key = key;
            this.request = request;
            this.emitter = emitter;
        }

        void enter() {
            emitter.onTermination(this::abandon);
            State admitted;
            do {
                admitted = admitTo(accounts.computeIfAbsent(key, k -> new Account()));
            } while (admitted == null);
            switch (admitted) {
                case RUNNING -> run();
                case QUEUED -> startTimer();
                default -> emitter.fail(queueFull());
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
                    state = State.RUNNING;
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
            onOwnContext(() -> emitter.fail(waitedTooLong()));
        }

        /** Granted a slot by another request's release: continue on this request's own Vert.x context. */
        private void granted() {
            Runnable stop;
            synchronized (account) {
                stop = timer;
                timer = null;
            }
            if (stop != null) {
                stop.run();
            }
            onOwnContext(this::run);
        }

        private void run() {
            synchronized (account) {
                if (state != State.RUNNING) {
                    return; // cancelled while the grant was on its way; the slot was passed on already
                }
            }
            Uni<T> uni;
            try {
                uni = Objects.requireNonNull(request.get(), "request");
            } catch (RuntimeException e) {
                onFailure(e);
                return;
            }
            uni.subscribe().withSubscriber(this);
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            boolean cancelled;
            synchronized (account) {
                cancelled = state != State.RUNNING;
                if (!cancelled) {
                    upstream = subscription;
                }
            }
            if (cancelled) {
                subscription.cancel();
            }
        }

        @Override
        public void onItem(T item) {
            if (release(false)) {
                emitter.complete(item);
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            if (release(false)) {
                emitter.fail(failure);
            }
        }

        /** The subscriber is gone (cancelled), or this slot ended: give back whatever is held, once. */
        private void abandon() {
            release(true);
        }

        /** @return whether this call ended the slot (and so may signal the outcome) */
        private boolean release(boolean cancel) {
            UniSubscription toCancel = null;
            Runnable toStop = null;
            Slot<?> next = null;
            synchronized (account) {
                if (state == State.QUEUED) {
                    account.queue.remove(this);
                    toStop = timer;
                } else if (state == State.RUNNING) {
                    toCancel = cancel ? upstream : null;
                    next = handOver();
                } else {
                    return false;
                }
                state = State.DONE;
                timer = null;
                upstream = null;
            }
            if (toStop != null) {
                toStop.run();
            }
            if (toCancel != null) {
                toCancel.cancel();
            }
            if (next != null) {
                next.granted();
            }
            return true;
        }

        /** Passes this slot to the longest-waiting request, or frees it; drops the account when idle. */
        private Slot<?> handOver() {
            Slot<?> next = account.queue.pollFirst();
            if (next != null) {
                next.state = State.RUNNING;
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
