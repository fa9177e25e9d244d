package dev.voicegate.dnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisCluster;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/** The do-not-call list on a real Redis Cluster: an entry added by one replica is seen, paged and removed by another. */
class RedisClusterDoNotCallStoreTest {

    static final Vertx VERTX = Vertx.vertx();
    static final List<Redis> CLIENTS = new ArrayList<>();

    @AfterAll
    static void close() {
        CLIENTS.forEach(Redis::close);
        VERTX.close();
    }

    static RedisDoNotCallStore replica() {
        return new RedisDoNotCallStore(RedisCluster.shared().dataSource(VERTX, CLIENTS), Duration.ofSeconds(2));
    }

    static <T> T result(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void addFindPageAndRemoveAcrossTwoReplicas() {
        RedisDoNotCallStore a = replica();
        RedisDoNotCallStore b = replica();
        String hash = "cluster-" + System.nanoTime();
        DoNotCallEntry entry = new DoNotCallEntry("+14155551212", "asked", "2026-01-01T00:00:00Z", "operator");
        assertTrue(result(a.put(hash, entry)));
        assertFalse(result(b.putIfAbsent(hash, entry)));
        assertTrue(result(b.contains(hash)));
        assertEquals(Optional.of(entry), result(b.find(hash)));
        assertTrue(result(b.page(null, 1000)).entries().contains(entry));
        assertTrue(result(b.remove(hash)));
        assertFalse(result(a.contains(hash)));
    }
}
