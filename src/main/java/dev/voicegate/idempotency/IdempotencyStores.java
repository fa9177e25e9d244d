package dev.voicegate.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/** Chooses the store: Redis when {@code quarkus.redis.hosts} ({@code REDIS_URL}) is set, otherwise memory. */
public class IdempotencyStores {

    private static final Logger LOG = Logger.getLogger(IdempotencyStores.class);
    /** A Redis command that has not answered by then is treated as Redis being down. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    @Produces
    @ApplicationScoped
    IdempotencyStore store(VoicegateConfig config, @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType,
            Instance<ReactiveRedisDataSource> redis) {
        if (redisHosts.isPresent() && !redisHosts.get().isBlank()) {
            LOG.info("make_call idempotency keys are kept in Redis, shared by every replica");
            // The previous version's key names are another slot: looked up on a standalone Redis only.
            return new RedisIdempotencyStore(redis.get(), REDIS_TIMEOUT, !"cluster".equalsIgnoreCase(clientType));
        }
        LOG.info("make_call idempotency keys are kept in memory (single instance); set REDIS_URL to share them");
        return new MemoryIdempotencyStore(config.idempotency().memoryMaxKeys(), Clock.systemUTC());
    }
}
