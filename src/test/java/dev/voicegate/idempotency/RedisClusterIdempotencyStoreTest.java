package dev.voicegate.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisCluster;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/** The idempotency store on a real Redis Cluster: two replicas (two cluster clients) never both own a key. */
class RedisClusterIdempotencyStoreTest {

    static final Vertx VERTX = Vertx.vertx();
    static final List<Redis> CLIENTS = new ArrayList<>();

    @AfterAll
    static void close() {
        CLIENTS.forEach(Redis::close);
        VERTX.close();
    }

    static RedisIdempotencyStore replica() {
        return new RedisIdempotencyStore(RedisCluster.shared().dataSource(VERTX, CLIENTS), Duration.ofSeconds(2), false);
    }

    static <T> T result(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void claimCompareAndSetAndRemoveAcrossTwoReplicas() {
        RedisIdempotencyStore a = replica();
        RedisIdempotencyStore b = replica();
        Duration ttl = Duration.ofMinutes(1);
        for (int i = 0; i < 20; i++) { // keys spread over the masters
            String key = "ac0123:cluster-" + i + "-" + System.nanoTime();
            assertNull(result(a.putIfAbsent(key, "claim-a", ttl)));
            assertEquals("claim-a", result(b.putIfAbsent(key, "claim-b", ttl)));
            assertFalse(result(b.replace(key, "claim-b", "done-b", ttl)));
            assertTrue(result(a.replace(key, "claim-a", "done-a", ttl)));
            assertEquals("done-a", result(b.get(key)));
            assertFalse(result(b.remove(key, "claim-a")));
            assertTrue(result(b.remove(key, "done-a")));
            assertNull(result(a.get(key)));
        }
    }
}
