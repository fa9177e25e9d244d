package dev.voicegate.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisCluster;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/** Quotas on a real Redis Cluster: two replicas together never exceed a counter's windows; a give-back frees one. */
class RedisClusterQuotaStoreTest {

    static final Vertx VERTX = Vertx.vertx();
    static final List<Redis> CLIENTS = new ArrayList<>();
    static final Window TWO_PER_MINUTE = new Window("calls-per-minute", 2, Duration.ofMinutes(1));
    static final Window THREE_PER_HOUR = new Window("calls-per-hour", 3, Duration.ofHours(1));

    @AfterAll
    static void close() {
        CLIENTS.forEach(Redis::close);
        VERTX.close();
    }

    static RedisQuotaStore replica() {
        return new RedisQuotaStore(RedisCluster.shared().dataSource(VERTX, CLIENTS), Duration.ofSeconds(2));
    }

    static <T> T result(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void twoReplicasShareEachCountersWindows() {
        RedisQuotaStore a = replica();
        RedisQuotaStore b = replica();
        List<Window> windows = List.of(TWO_PER_MINUTE, THREE_PER_HOUR);
        for (int i = 0; i < 10; i++) { // counters spread over the masters
            String counter = "key:cluster-" + i + "-" + System.nanoTime();
            Verdict first = result(a.take(counter, windows));
            assertNull(first.exceeded());
            assertEquals(List.of(1, 2), first.remaining());
            assertNull(result(b.take(counter, windows)).exceeded());
            Verdict third = result(a.take(counter, windows));
            assertEquals(TWO_PER_MINUTE, third.exceeded());
            assertNotNull(third.retryAfter());
            result(b.giveBack(counter, windows, first.ticket()));
            assertEquals(List.of(1, 1), result(a.used(counter, windows)));
            assertNull(result(b.take(counter, windows)).exceeded());
            assertEquals(TWO_PER_MINUTE, result(a.take(counter, windows)).exceeded());
            assertEquals(List.of(2, 2), result(b.used(counter, windows)));
        }
    }
}
