package dev.voicegate.twilio.limit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.voicegate.observability.BudgetMetrics;
import io.smallrye.mutiny.Uni;

/**
 * The leases of the shared budget this replica holds ({@link SharedBudget}), and whether Redis answers. A slot is taken
 * in Redis, or, while Redis is unreachable, from the local share (which counts every lease held, taken either way).
 * The first failed or timed-out command switches to the local share (logged once); {@link #renew}, every third of the
 * lease time, renews every lease held, or asks Redis whether it is back and then adds them to it again.
 */
final class BudgetLeases {

    private static final Logger LOG = Logger.getLogger(BudgetLeases.class);

    private final SharedBudget.Settings settings;
    private final RedisBudget redis;
    private final BudgetMetrics metrics;
    private final Predicate<String> named;
    private final String replica = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean fallback = new AtomicBoolean();
    /** The service is stopping: the leases were given back together, and nothing more is sent to Redis. */
    private volatile boolean closed;
    /** Lease ids held, per account; an account holding none is dropped. Guarded by itself. */
    private final Map<String, Set<String>> held = new HashMap<>();
    /**
     * Leases given back whose command has not completed yet, per account. Guarded by held. At a stop, a request cut
     * short gives its slot back just as the Redis client closes: such a command may never be written.
     */
    private final Map<String, Set<String>> giving = new HashMap<>();
        /** Leases held of every account without series of its own (pass-through), together. Guarded by held. */
    private int otherHeld;

    /** {@code named}: the accounts with metric series of their own (the configured ones). */
    BudgetLeases(SharedBudget.Settings settings, RedisBudget redis, BudgetMetrics metrics, Predicate<String> named) {
        this.settings = settings;
        this.redis = redis;
        this.metrics = metrics;
        this.named = named;
    }

    boolean fallback() {
        return fallback.get();
    }

    int accounts() {
        synchronized (held) {
            return held.size();
        }
    }

    /** One try for a slot: the lease, or null when the budget (or the local share) is full. Never fails. */
    Uni<AccountLimiter.Lease> tryTake(String account) {
        String id = replica + ':' + Long.toHexString(ids.incrementAndGet());
        if (fallback.get()) {
            return Uni.createFrom().item(takeLocally(account, id));
        }
        return redis.take(account, settings.bound(), settings.lease(), id)
                .map(taken -> {
                    shared(account, taken.inUse());
                    return taken.taken() ? hold(account, id) : null;
                })
                .onFailure().recoverWithItem(failure -> {
                    unreachable(failure);
                    return takeLocally(account, id);
                });
    }

    private AccountLimiter.Lease takeLocally(String account, String id) {
        synchronized (held) {
            Set<String> leases = held.get(account);
            return leases != null && leases.size() >= settings.localShare() ? null : hold(account, id);
        }
    }

    private AccountLimiter.Lease hold(String account, String id) {
        int count;
        synchronized (held) {
            Set<String> leases = held.computeIfAbsent(account, a -> new HashSet<>());
            leases.add(id);
            count = named.test(account) ? leases.size() : ++otherHeld;
        }
        metrics.held(label(account), count);
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                giveBack(account, id);
            }
        };
    }

    private void giveBack(String account, String id) {
        int count;
        synchronized (held) {
            Set<String> leases = held.get(account);
            leases.remove(id);
            if (leases.isEmpty()) {
                held.remove(account);
            }
            count = named.test(account) ? leases.size() : --otherHeld;
        }
        metrics.held(label(account), count);
        if (!fallback.get() && !closed) { // while Redis is out of reach, the lease expires there instead
            synchronized (held) {
                giving.computeIfAbsent(account, a -> new HashSet<>()).add(id);
            }
            redis.give(account, id).onTermination().invoke(() -> given(account, id))
                    .subscribe().with(inUse -> shared(account, inUse), this::unreachable);
        }
    }

    private void given(String account, String id) {
        synchronized (held) {
            Set<String> ids = giving.get(account);
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                giving.remove(account);
            }
        }
    }

    /** Renews every lease held, one command per account; while Redis is unreachable, asks whether it is back. */
    void renew() {
        if (closed) {
            return;
        }
        if (fallback.get()) {
            redis.ping().subscribe().with(ok -> {
                if (fallback.compareAndSet(true, false)) {
                    metrics.fallback(false);
                    LOG.info("Redis answers again: the Twilio budget is shared by every replica again");
                    renew();
                }
            }, ignored -> {
            });
            return;
        }
        Map<String, List<String>> snapshot = new HashMap<>();
        synchronized (held) {
            held.forEach((account, leases) -> snapshot.put(account, List.copyOf(leases)));
        }
        snapshot.forEach((account, leases) -> redis.renew(account, settings.lease(), leases).subscribe().with(renewed -> {
            shared(account, renewed.inUse());
            // A lease given back while the renewal was on its way may have been added again: give it back again.
            List<String> gone;
            synchronized (held) {
                Set<String> still = held.getOrDefault(account, Set.of());
                gone = leases.stream().filter(id -> !still.contains(id)).toList();
            }
            gone.forEach(id -> redis.give(account, id).subscribe().with(ignored -> {
            }, this::unreachable));
        }, this::unreachable));
    }

    /**
     * The service is stopping: gives every lease still held (or being given back) to Redis, one command per account,
     * and sends nothing more (a request that ends later gives its slot back locally only). The leases given back.
     * Fails when a command fails or times out (the leases then expire in Redis).
     */
    Uni<Integer> giveBackAll() {
        closed = true;
        Map<String, List<String>> snapshot = new HashMap<>();
        synchronized (held) {
            held.forEach((account, leases) -> snapshot.put(account, List.copyOf(leases)));
            giving.forEach((account, ids) -> snapshot.merge(account, List.copyOf(ids),
                    (a, b) -> Stream.concat(a.stream(), b.stream()).toList()));
        }
        if (snapshot.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // Tried even in the local share: a command cut short by the stopping service itself may have switched to it.
        List<Uni<Integer>> given = snapshot.entrySet().stream()
                .map(entry -> redis.give(entry.getKey(), entry.getValue()).replaceWith(entry.getValue().size())).toList();
        return Uni.join().all(given).andFailFast().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    private String label(String account) {
        return named.test(account) ? SharedBudget.label(account) : BudgetMetrics.OTHER;
    }

    /** Only a configured account's shared use has a series: Redis counts each pass-through account apart. */
    private void shared(String account, int inUse) {
        if (named.test(account)) {
            metrics.shared(SharedBudget.label(account), inUse);
        }
    }

    /** A Redis command failed or timed out: the local share applies until Redis answers again. Logged once. */
    private void unreachable(Throwable failure) {
        if (closed) { // the service is stopping: its Redis client may be closing, which is no outage
            return;
        }
        if (fallback.compareAndSet(false, true)) {
            metrics.fallback(true);
            LOG.warnf("Redis is unreachable for the shared Twilio budget (%s): each replica keeps to its local share "
                    + "of %d requests in flight per account until it answers", failure.getClass().getSimpleName(),
                    settings.localShare());
        }
    }
}
