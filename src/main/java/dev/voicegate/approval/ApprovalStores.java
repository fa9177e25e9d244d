package dev.voicegate.approval;

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
public class ApprovalStores {

    private static final Logger LOG = Logger.getLogger(ApprovalStores.class);
    /** A Redis command that has not answered by then is treated as Redis being down. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    @Produces
    @ApplicationScoped
    ApprovalStore store(VoicegateConfig config, @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType,
            Instance<ReactiveRedisDataSource> redis) {
        if (redisHosts.isPresent() && !redisHosts.get().isBlank()) {
            LOG.info("make_call approvals are kept in Redis, shared by every replica");
            // A cluster needs every approval key in one slot; a standalone Redis keeps the names of before.
            return new RedisApprovalStore(redis.get(), REDIS_TIMEOUT, Clock.systemUTC(),
                    "cluster".equalsIgnoreCase(clientType) ? RedisApprovalStore.CLUSTER : RedisApprovalStore.STANDALONE);
        }
        LOG.info("make_call approvals are kept in memory (single instance); set REDIS_URL to share them");
        return new MemoryApprovalStore(config.approval().memoryMaxEntries(), Clock.systemUTC());
    }
}
