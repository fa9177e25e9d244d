package dev.voicegate.dnc;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/** Chooses the store as the quota and idempotency stores do: Redis when {@code REDIS_URL} is set, otherwise memory. */
public class DoNotCallStores {

    private static final Logger LOG = Logger.getLogger(DoNotCallStores.class);
    /** As for the other stores: a Redis command that has not answered by then is treated as Redis being down. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    @Produces
    @ApplicationScoped
    DoNotCallStore store(VoicegateConfig config, @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            Instance<ReactiveRedisDataSource> redis) {
        if (redisHosts.isPresent() && !redisHosts.get().isBlank()) {
            LOG.info("The do-not-call list is kept in Redis, shared by every replica");
            return new RedisDoNotCallStore(redis.get(), REDIS_TIMEOUT);
        }
        LOG.info("The do-not-call list is kept in memory (single instance); set REDIS_URL to share it");
        return new MemoryDoNotCallStore(config.doNotCall().memoryMaxEntries());
    }
}
