package dev.voicegate.twilio.limit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.voicegate.config.VoicegateConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;

/**
 * Voicegate's own bound on requests to Twilio in flight per account, all operations together, so that the
 * service stays under Twilio's per-account concurrency limit (429, error 20429) rather than finding it.
 * <p>
 * <b>Finish what was admitted, shed at the door.</b> Every request says its {@link Turn}. A request beyond the bound
 * waits in one of two FIFO queues: follow-ups of actions already under way, and first requests of new actions. A
 * freed slot goes to the longest-waiting follow-up, and to a first request only when no follow-up waits. So an
 * admitted action is never starved by newer ones, and a follow-up is never refused here: its number is bounded by
 * the admitted actions times their fan-out (their own concurrency), and it leaves the queue only when its caller
 * gives up (the per-attempt timeout cancels). Shedding happens at the door instead: a first request that finds no
 * free slot is refused at once with {@link LimitReachedException}, nothing sent, when {@code max-queued} first
 * requests already wait or when {@link Door} estimates its wait above {@code max-admission-wait}; a queued first
 * request still fails after {@code max-queue-wait} without a slot. Refusals are immediate, and what is admitted
 * waits at most about the admission wait for its first slot.
 * <p>
 * A slot is a {@link Lease}: {@link #acquire} hands one out, its holder gives it back with {@link Lease#release()}.
 * {@link #limit} holds one for the life of a {@code Uni} request; a streamed download holds one until its last byte.
 * With Redis, a lease is a local slot and then one of the budget every replica shares ({@link SharedBudget}); a
 * follow-up waits for the shared one without a deadline, a first request for at most {@code max-queue-wait}. Non-blocking: a waiting request is a queued callback, never a parked thread. Accounts are keyed
 * by their SID in lower case; an account with nothing in flight and nothing waiting is dropped from the map.
 */
@ApplicationScoped
public class AccountLimiter {

    /** One of an account's slots, held until released. */
    public interface Lease {
        /** Gives the slot back (to the longest waiting follow-up, else first request); only the first call counts. */
        void release();
    }

    final int maxConcurrent;
    final int maxQueued;
    final Duration maxWait;
    final Door door;
    private final ConcurrentMap<String, AccountSlots> accounts = new ConcurrentHashMap<>();
    private final SharedBudget shared;

    @Inject
    AccountLimiter(VoicegateConfig config, SharedBudget shared) {
        this(config.upstream().maxConcurrentPerAccount(), config.upstream().maxQueuedPerAccount(),
                config.upstream().maxQueueWait(), config.upstream().maxAdmissionWait(), shared);
    }

    AccountLimiter(int maxConcurrent, int maxQueued, Duration maxWait, Duration maxAdmissionWait) {
        this(maxConcurrent, maxQueued, maxWait, maxAdmissionWait, SharedBudget.off());
    }

    AccountLimiter(int maxConcurrent, int maxQueued, Duration maxWait, Duration maxAdmissionWait,
            SharedBudget shared) {
        if (maxConcurrent < 1 || maxQueued < 0 || maxWait.isNegative() || maxAdmissionWait.isNegative()) {
            throw new IllegalArgumentException("invalid upstream limits: " + maxConcurrent + ", " + maxQueued
                    + ", " + maxWait + ", " + maxAdmissionWait);
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.maxWait = maxWait;
        this.door = new Door(maxConcurrent, maxAdmissionWait);
        this.shared = shared;
    }

    /**
     * A slot of this account, once one is free; a {@link Turn#FIRST} request fails with
     * {@link LimitReachedException} when refused at the door or when its wait is over. Each subscription is one
     * lease. Cancelling before the lease arrives gives up the place in the queue (or the slot just granted); a lease
     * that arrives is the subscriber's to release, even if it cancelled at that very moment, so subscribe with a
     * subscriber that releases such a lease rather than dropping it.
     */
    public Uni<Lease> acquire(String accountSid, Turn turn) {
        return acquire(accountSid, turn, false);
    }

    /**
     * Subscribes to {@code request.get()} once the account has a slot for this turn, and holds the slot until it
     * ends with an item, a failure or a cancellation. Each subscription is one request. Its hold times feed the
     * door's estimate.
     */
    public <T> Uni<T> limit(String accountSid, Turn turn, Supplier<Uni<T>> request) {
        Uni<Lease> lease = acquire(accountSid, turn, true);
        return Uni.createFrom().emitter(emitter -> new LimitedRequest<>(lease, request, emitter).start());
    }

    private Uni<Lease> acquire(String accountSid, Turn turn, boolean timed) {
        String key = Objects.requireNonNull(accountSid, "accountSid").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(turn, "turn");
        // The one composition point of the shared budget: the local slot first (in this replica's order), then one
        // of the budget every replica shares; the lease handed out gives both back.
        return shared.after(key, turn, new AbstractUni<>() {
            @Override
            public void subscribe(UniSubscriber<? super Lease> subscriber) {
                new SlotTicket(AccountLimiter.this, key, turn, timed, subscriber).enter();
            }
        });
    }

    /** Requests of this account holding a slot now. */
    public int inFlight(String accountSid) {
        AccountSlots account = accounts.get(accountSid.toLowerCase(Locale.ROOT));
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            return account.inFlight;
        }
    }

    /**
     * Whether this account has room to spare now: fewer than half of its slots are held (so no request waits for
     * one). An action may then spend a request ahead of need (a speculative read) without taking a slot that
     * another action's request would have waited for.
     */
    public boolean hasRoom(String accountSid) {
        AccountSlots account = accounts.get(accountSid.toLowerCase(Locale.ROOT));
        if (account == null) {
            return true;
        }
        synchronized (account) {
            return 2 * account.inFlight < maxConcurrent;
        }
    }

    /** Requests of every account but these (lower-case SIDs) holding a slot now. */
    int inFlightExcept(Set<String> accountSids) {
        int sum = 0;
        for (var entry : accounts.entrySet()) {
            if (!accountSids.contains(entry.getKey())) {
                synchronized (entry.getValue()) {
                    sum += entry.getValue().inFlight;
                }
            }
        }
        return sum;
    }

    /** The metrics exist from start-up, so that rate() sees the first refusal. */
    void registerMetrics(@Observes StartupEvent event) {
        shared.registerMetrics(this);
    }

    /** Counts a new action refused here: {@code queue_full}, {@code admission_wait} or {@code queue_wait}. */
    void doorRefused(String key, String reason) {
        shared.doorRefused(key, reason);
    }

    /** Requests of this account waiting for a slot now, both turns. */
    public int queued(String accountSid) {
        AccountSlots account = accounts.get(accountSid.toLowerCase(Locale.ROOT));
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            return account.firsts.size() + account.followUps.size();
        }
    }

    /** Accounts with a request in flight or waiting. */
    public int busyAccounts() {
        return accounts.size();
    }

    /** The account's slots, created when absent; a {@link AccountSlots#retired} one is being dropped: ask again. */
    AccountSlots account(String key) {
        return accounts.computeIfAbsent(key, k -> new AccountSlots());
    }

    /** Drops an idle account (called under its monitor, once it is marked retired). */
    void retire(String key, AccountSlots account) {
        accounts.remove(key, account);
    }

    LimitReachedException queueFull() {
        return new LimitReachedException(limitReached() + " and " + maxQueued + " more "
                + (maxQueued == 1 ? "request is" : "requests are") + " already waiting");
    }

    LimitReachedException wouldWaitTooLong(long estimateNanos) {
        return new LimitReachedException(limitReached() + " and the requests already waiting would keep a new one "
                + "waiting about " + format(Duration.ofNanos(estimateNanos)) + ", more than the "
                + format(Duration.ofNanos(door.maxWaitNanos())) + " a new request may wait");
    }

    LimitReachedException waitedTooLong() {
        return new LimitReachedException(limitReached() + " and no slot freed up within " + format(maxWait));
    }

    private String limitReached() {
        return "Voicegate's own limit of " + maxConcurrent + " concurrent Twilio requests for this account is reached";
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 && millis > 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
