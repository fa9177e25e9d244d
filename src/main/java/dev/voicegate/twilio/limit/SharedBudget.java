package dev.voicegate.twilio.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.observability.BudgetMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One Twilio budget per account for every replica together, when Redis is configured ({@code REDIS_URL}): each slot
 * {@link AccountLimiter} grants locally must also be a lease in Redis ({@link RedisBudget}), so that N replicas never
 * hold more than {@code TWILIO_MAX_CONCURRENT_PER_ACCOUNT} at once. A lease expires after {@code TWILIO_SHARED_LEASE}
 * unless renewed: one timer per replica renews all its leases every third of that, so long holders (a media stream,
 * a slow request) keep theirs and a crashed replica's come back. One round trip to take a slot, one to give it back.
 * <p>
 * While Redis is unreachable (a command fails or outlasts {@code TWILIO_SHARED_TIMEOUT}), each replica keeps to its
 * local share ({@code TWILIO_LOCAL_SHARE_PER_ACCOUNT}, default the bound / 4) of slots held, logged once; the timer
 * then asks Redis each round and goes back to the shared budget once it answers (its leases are added again). Without
 * Redis, or with {@code TWILIO_SHARED_BUDGET=false}, this does nothing and the local bound alone applies.
 */
@ApplicationScoped
@Startup // the Redis client, the scripts and the renewal timer are ready before the first request
public class SharedBudget {

    private static final Logger LOG = Logger.getLogger(SharedBudget.class);
    /** The pause before asking a full budget again doubles from this, up to {@link #MAX_PAUSE_MS}, with jitter. */
    private static final long FIRST_PAUSE_MS = 2;
    private static final long MAX_PAUSE_MS = 50;

    /** What the budget needs from the configuration. */
    record Settings(int bound, int localShare, Duration maxWait, Duration lease, Duration timeout) {
        static Settings of(VoicegateConfig.Upstream upstream) {
            int bound = upstream.maxConcurrentPerAccount();
            return new Settings(bound, upstream.localSharePerAccount().orElse(Math.max(1, bound / 4)),
                    upstream.maxQueueWait(), upstream.sharedLease(), upstream.sharedTimeout());
        }
    }

    private final Settings settings;
    private final BudgetLeases leases; // null: no shared budget
    private final Vertx vertx;
    private final BudgetMetrics metrics;
    /** Accounts with metric series of their own: the configured ones. */
    private final Predicate<String> named;
    /** The configured accounts' SIDs (lower case), whose series exist from start-up; empty in unit tests. */
    private final Set<String> configured;
    private final long renewal;

    @Inject
    SharedBudget(VoicegateConfig config, @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            Instance<ReactiveRedisDataSource> redis, Vertx vertx, BudgetMetrics metrics) {
        this(Settings.of(config.upstream()), config.upstream().sharedBudget() && redisHosts.filter(h -> !h.isBlank())
                .isPresent() ? new RedisBudget(redis.get()::execute, config.upstream().sharedTimeout()) : null,
                vertx, metrics, configuredAccounts(config));
    }

    private SharedBudget(Settings settings, RedisBudget redis, Vertx vertx, BudgetMetrics metrics, Set<String> configured) {
        this(settings, redis, vertx, metrics, configured::contains, configured);
    }

    SharedBudget(Settings settings, RedisBudget redis, Vertx vertx, BudgetMetrics metrics) {
        this(settings, redis, vertx, metrics, account -> true);
    }

    SharedBudget(Settings settings, RedisBudget redis, Vertx vertx, BudgetMetrics metrics, Predicate<String> named) {
        this(settings, redis, vertx, metrics, named, Set.of());
    }

    private SharedBudget(Settings settings, RedisBudget redis, Vertx vertx, BudgetMetrics metrics,
            Predicate<String> named, Set<String> configured) {
        this.configured = configured;
        this.settings = settings;
        this.vertx = vertx;
        this.metrics = metrics;
        this.named = named;
        if (redis != null) {
            LOG.infof("Twilio requests in flight are bounded per account for every replica together (Redis), %d at "
                    + "most; %d per replica while Redis is unreachable", settings.bound(), settings.localShare());
            leases = new BudgetLeases(settings, redis, metrics, named);
            renewal = vertx.setPeriodic(Math.max(100, settings.lease().toMillis() / 3), ignored -> leases.renew());
        } else {
            leases = null;
            renewal = -1;
        }
    }

    /** The accounts of the configuration (primary and further ones), lower case as the limiter keys them. */
    private static Set<String> configuredAccounts(VoicegateConfig config) {
        Set<String> sids = new HashSet<>();
        config.twilio().accountSid().ifPresent(sid -> sids.add(sid.toLowerCase(Locale.ROOT)));
        config.twilio().accounts().keySet().forEach(sid -> sids.add(sid.toLowerCase(Locale.ROOT)));
        return Set.copyOf(sids);
    }

    /** No shared budget: the local bound alone. */
    static SharedBudget off() {
        return new SharedBudget(null, null, null, null, account -> false);
    }

    /**
     * The local lease first, then a slot of the shared budget; the lease handed out gives both back. Unchanged
     * when there is no shared budget.
     */
    Uni<AccountLimiter.Lease> after(String account, Turn turn, Uni<AccountLimiter.Lease> local) {
        if (leases == null) {
            return local;
        }
        return new AbstractUni<>() {
            @Override
            public void subscribe(UniSubscriber<? super AccountLimiter.Lease> subscriber) {
                new SharedAcquire(SharedBudget.this, account, turn, local, subscriber).start();
            }
        };
    }

    /** "local" (no shared budget), "shared", or "local-share" while Redis is unreachable. */
    public String mode() {
        return leases == null ? "local" : leases.fallback() ? "local-share" : "shared";
    }

    /** Accounts this replica holds a lease of now; 0 without a shared budget. */
    public int busyAccounts() {
        return leases == null ? 0 : leases.accounts();
    }

    /** Slots per account this replica may hold in its mode. */
    public int perAccount() {
        return leases != null && leases.fallback() ? settings.localShare() : settings.bound();
    }

    /** One try for a slot: the lease, or null when the budget (or the local share) is full. Never fails. */
    Uni<AccountLimiter.Lease> tryTake(String account) {
        return leases.tryTake(account);
    }

    /** How long to pause before the next try at a full budget: doubling with each try, jittered. */
    static long pause(int tries) {
        long ceiling = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(tries, 10));
        return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }

    Settings settings() {
        return settings;
    }

    Vertx vertx() {
        return vertx;
    }

    BudgetMetrics metrics() {
        return metrics;
    }

    static String label(String account) {
        return RedisBudget.hash(account).substring(0, 12);
    }

    /**
     * The account's label in metrics: its {@link #label} when configured, else {@link BudgetMetrics#OTHER}. Anyone
     * can send a well-formed pass-through SID, so a series per SID would grow without bound.
     */
    String metricLabel(String account) {
        return named.test(account) ? label(account) : BudgetMetrics.OTHER;
    }

    /**
     * The limiter's series, at start-up: each configured account's and {@link BudgetMetrics#OTHER}'s at zero, its
     * requests in flight read at each scrape, and the bound.
     */
    void registerMetrics(AccountLimiter limiter) {
        if (metrics == null) {
            return;
        }
        List<String> labels = new ArrayList<>();
        for (String sid : configured) {
            labels.add(label(sid));
            metrics.inFlight(label(sid), () -> limiter.inFlight(sid));
        }
        labels.add(BudgetMetrics.OTHER);
        metrics.inFlight(BudgetMetrics.OTHER, () -> limiter.inFlightExcept(configured));
        metrics.accounts(labels);
        metrics.limit(settings.bound());
    }

    /** A new action refused by the local limiter (one of {@link BudgetMetrics#DOOR_REASONS}). */
    void doorRefused(String account, String reason) {
        if (metrics != null) {
            metrics.doorRefused(metricLabel(account), reason);
        }
    }

    LimitReachedException full() {
        long millis = settings.maxWait().toMillis();
        return new LimitReachedException("Voicegate's own limit of " + settings.bound() + " concurrent Twilio requests"
                + " for this account, shared by every replica, is reached and no slot freed up within "
                + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms"));
    }

    /**
     * The service is stopping, after the requests in flight had their {@code SHUTDOWN_TIMEOUT} (and before the Redis
     * client closes): gives the leases still held back at once, so that the other replicas need not wait
     * {@code TWILIO_SHARED_LEASE} for them during a rollout.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        giveBackAll();
    }

    /**
     * Stops renewing and gives every lease held back to Redis. Waits at most twice {@code TWILIO_SHARED_TIMEOUT}, and
     * never on an event loop (there it only sends); leases not given back expire in Redis as before.
     */
    void giveBackAll() {
        stop();
        if (leases == null) {
            return;
        }
        Uni<Integer> given = leases.giveBackAll();
        if (Context.isOnEventLoopThread()) {
            given.subscribe().with(count -> {
            }, failure -> {
            });
            return;
        }
        try {
            int count = given.await().atMost(settings.timeout().multipliedBy(2));
            if (count > 0) {
                LOG.infof("Stopping: gave %d leases of the shared Twilio budget back to Redis", count);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Stopping: the leases of the shared Twilio budget could not be given back (%s); they expire "
                    + "within TWILIO_SHARED_LEASE", e.getClass().getSimpleName());
        }
    }

    /** Stops renewing (the service is stopping). */
    @PreDestroy
    void stop() {
        if (renewal != -1) {
            vertx.cancelTimer(renewal);
        }
    }
}
