package dev.voicegate.quota;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/**
 * Chooses the store as the idempotency store does, beside it: Redis when {@code REDIS_URL} is set (the same client),
 * otherwise memory.
 */
public class QuotaStores {

    private static final Logger LOG = Logger.getLogger(QuotaStores.class);
    /** As for idempotency keys: a Redis command that has not answered by then is treated as Redis being down. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    @Produces
    @ApplicationScoped
    QuotaStore store(@ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            Instance<ReactiveRedisDataSource> redis) {
        if (redisHosts.isPresent() && !redisHosts.get().isBlank()) {
            LOG.info("Key quotas are counted in Redis, shared by every replica");
            return new RedisQuotaStore(redis.get(), REDIS_TIMEOUT);
        }
        LOG.info("Key quotas are counted in memory (single instance); set REDIS_URL to share them");
        return new MemoryQuotaStore(Clock.systemUTC());
    }
}
