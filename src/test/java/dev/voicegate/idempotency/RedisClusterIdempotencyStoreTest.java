package dev.voicegate.idempotency;

import static dev.voicegate.testing.ClusterReplicas.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.voicegate.testing.ClusterReplicas;

/** The idempotency store on a real Redis Cluster: two replicas (two cluster clients) never both own a key. */
class RedisClusterIdempotencyStoreTest {

    @RegisterExtension
    static final ClusterReplicas CLUSTER = new ClusterReplicas();

    static RedisIdempotencyStore replica() {
        return new RedisIdempotencyStore(CLUSTER.dataSource(), Duration.ofSeconds(2), false);
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
