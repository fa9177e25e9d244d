package dev.voicegate.suspension;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The suspended keys, as this replica knows them: a local copy of the store, so that the check on every request is a
 * map lookup. The copy is loaded at start, reloaded when any replica publishes a change (within milliseconds), when
 * the subscription comes back after an outage, and every {@link #RELOAD_EVERY} whatever happens. While Redis is down
 * the last copy stays in force.
 */
@ApplicationScoped
public class Suspensions {

    private static final Logger LOG = Logger.getLogger(Suspensions.class);
    /** As for the other Redis stores: a command that has not answered by then is treated as Redis being down. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
    /** How often the subscription to changes is tried again after an outage. */
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);
    /** A full reload, whatever the subscription says: the bound on staleness if a message was ever lost. */
    static final Duration RELOAD_EVERY = Duration.ofSeconds(10);

    private final SuspensionStore store;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private volatile Map<String, Suspension> local = Map.of();
    private long periodic = -1;

    Suspensions(@ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            Instance<ReactiveRedisDataSource> redis, Vertx vertx) {
        this.vertx = vertx;
        if (redisHosts.isPresent() && !redisHosts.get().isBlank()) {
            LOG.info("Key suspensions are kept in Redis, shared by every replica and kept across restarts");
            store = new RedisSuspensionStore(redis.get(), vertx, REDIS_TIMEOUT, RETRY_EVERY);
        } else {
            LOG.info("Key suspensions are kept in memory (single instance, lost on restart); set REDIS_URL to share them");
            store = new MemorySuspensionStore();
        }
    }

    /** Loads the suspensions before traffic (the start-up thread may wait), then keeps the copy fresh. */
    void start(@Observes StartupEvent event) {
        store.listen(this::reload);
        try {
            local = Map.copyOf(store.load().await().atMost(REDIS_TIMEOUT.multipliedBy(2)));
        } catch (RuntimeException e) {
            LOG.warnf("Key suspensions could not be loaded at start (%s); trying again every %s", e.getClass().getSimpleName(),
                    RELOAD_EVERY);
        }
        periodic = vertx.setPeriodic(RELOAD_EVERY.toMillis(), id -> reload());
    }

    void stop(@Observes ShutdownEvent event) {
        if (periodic >= 0) {
            vertx.cancelTimer(periodic);
        }
        store.close();
    }

    /** The key's suspension, if it is suspended: a local lookup. */
    public Optional<Suspension> of(String key) {
        return Optional.ofNullable(local.get(key));
    }

    /** Every suspension this replica knows, by key name. */
    public Map<String, Suspension> all() {
        return local;
    }

    /** Suspends {@code key} (again, replacing an earlier reason), in the store and then on every replica. */
    public Uni<Suspension> suspend(String key, String reason, String by) {
        Suspension suspension = new Suspension(key, reason, by, clock.instant());
        return store.put(suspension).onFailure().transform(Suspensions::unavailable)
                .invoke(() -> change(key, suspension)).replaceWith(suspension);
    }

    /** Resumes {@code key}; the suspension it had, if any. */
    public Uni<Optional<Suspension>> resume(String key) {
        Optional<Suspension> before = of(key);
        return store.remove(key).onFailure().transform(Suspensions::unavailable)
                .invoke(() -> change(key, null)).replaceWith(before);
    }

    /** A store that did not answer: {@code upstream_unavailable}, never a bare 500. */
    private static ActionException unavailable(Throwable failure) {
        LOG.warnf("Key suspensions could not be written: %s", failure.getClass().getSimpleName());
        return new ActionException(new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the store of key suspensions "
                + "(Redis) did not answer, so the change may not be in force on every replica. Retrying later may help."));
    }

    /** Reloads the local copy from the store; a failure keeps the last copy. */
    void reload() {
        store.load().subscribe().with(all -> local = Map.copyOf(all),
                failure -> LOG.debugf("Key suspensions not reloaded: %s", failure.getClass().getSimpleName()));
    }

    private synchronized void change(String key, Suspension suspension) {
        Map<String, Suspension> next = new HashMap<>(local);
        if (suspension == null) {
            next.remove(key);
        } else {
            next.put(key, suspension);
        }
        local = Map.copyOf(next);
    }
}
