package dev.voicegate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;

/** Chooses the ledger's store: Redis when {@code quarkus.redis.hosts} ({@code REDIS_URL}) is set, otherwise memory. */
@Singleton
public class Ledgers {

    private static final Logger LOG = Logger.getLogger(Ledgers.class);
    /** A Redis command that has not answered by then is treated as Redis being down (as for idempotency keys). */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
    /** How often writes kept while Redis is down, and the subscription to events, are tried again. */
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private volatile RedisLedger created;

    @Produces
    @ApplicationScoped
    Ledger ledger(VoicegateConfig config, @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType,
            Instance<ReactiveRedisDataSource> redis, Vertx vertx) {
        VoicegateConfig.Ledger settings = config.ledger();
        if (redisHosts.isPresent() && !redisHosts.get().isBlank()) {
            LOG.infof("The call ledger is kept in Redis, shared by every replica; entries expire after %s", settings.retention());
            // A cluster's layout puts every entry key in one slot; a standalone Redis keeps the names of before.
            created = new RedisLedger(redis.get(), LedgerKeys.of("cluster".equalsIgnoreCase(clientType)), vertx,
                    new RedisLedger.Settings(settings.retention(), settings.pendingMax(), REDIS_TIMEOUT, RETRY_EVERY,
                            settings.maxControlEvents()),
                    Clock.systemUTC());
            return created;
        }
        LOG.infof("The call ledger is kept in memory, at most %d entries", settings.maxEntries());
        return new MemoryLedger(settings.maxEntries(), settings.retention(), Clock.systemUTC(), settings.maxControlEvents());
    }

    /**
     * The subscription to other replicas' events is let go before the Redis client closes (else its end reads as an
     * outage); writes go on while the requests in flight finish.
     */
    void unsubscribe(@Observes ShutdownEvent event) {
        RedisLedger ledger = created;
        if (ledger != null) {
            ledger.unsubscribe();
        }
    }

    void close(@Disposes Ledger ledger) {
        if (ledger instanceof RedisLedger redisLedger) {
            redisLedger.close();
        }
    }
}
