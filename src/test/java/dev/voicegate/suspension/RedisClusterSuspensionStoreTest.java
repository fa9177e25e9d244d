package dev.voicegate.suspension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisCluster;
import dev.voicegate.testing.RedisServer;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;

/**
 * Suspensions on a real Redis Cluster (loopback): one key (one slot), read by a store created again; a change on one
 * replica (its own cluster client) reaches the other's listener through the channel, whichever node each is on.
 */
class RedisClusterSuspensionStoreTest {

    static RedisCluster cluster;
    static Vertx vertx;
    final List<RedisSuspensionStore> stores = new ArrayList<>();
    final List<Redis> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.shared();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @AfterEach
    void close() {
        stores.forEach(RedisSuspensionStore::close);
        clients.forEach(Redis::close);
    }

    RedisSuspensionStore replica() {
        RedisSuspensionStore store = new RedisSuspensionStore(cluster.dataSource(vertx, clients), vertx,
                Duration.ofSeconds(2), Duration.ofMillis(100));
        stores.add(store);
        return store;
    }

    static Suspension suspension(String key) {
        return new Suspension(key, "runaway loop", "ops", Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void aSuspensionMadeOnOneRedisIsHonouredOnTheClusterAfterTheDocumentedImport() {
        cluster.flushAll();
        RedisServer old = new RedisServer();
        old.start();
        try {
            Suspension s = suspension("agent-before-the-move");
            List<Redis> oldClients = new ArrayList<>();
            io.vertx.mutiny.core.Vertx mutiny = io.vertx.mutiny.core.Vertx.newInstance(vertx);
            Redis client = Redis.createClient(mutiny, old.url());
            oldClients.add(client);
            new RedisSuspensionStore(new ReactiveRedisDataSourceImpl(mutiny, client, RedisAPI.api(client)), vertx,
                    Duration.ofSeconds(2), Duration.ofMillis(100)).put(s).await().atMost(Duration.ofSeconds(5));
            oldClients.forEach(Redis::close);
            String output = cluster.importFrom(old.port());
            assertEquals(Map.of("agent-before-the-move", s), replica().load().await().atMost(Duration.ofSeconds(5)), output);
        } finally {
            old.stop();
        }
    }

    @Test
    void aSuspensionOnOneReplicaReachesTheOtherAndIsReadBack() {
        cluster.flushAll();
        AtomicInteger changes = new AtomicInteger();
        RedisSuspensionStore other = replica();
        other.listen(changes::incrementAndGet);
        RedisSuspensionStore one = replica();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            one.remove("nobody").await().atMost(Duration.ofSeconds(5));
            return changes.get() > 0;
        });
        int before = changes.get();
        Suspension s = suspension("agent");
        one.put(s).await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() > before);
        assertEquals(Map.of("agent", s), other.load().await().atMost(Duration.ofSeconds(5)));
        assertEquals(Map.of("agent", s), replica().load().await().atMost(Duration.ofSeconds(5)));
        one.remove("agent").await().atMost(Duration.ofSeconds(5));
        assertEquals(Map.of(), other.load().await().atMost(Duration.ofSeconds(5)));
    }
}
