package dev.voicegate.dnc;

import static dev.voicegate.testing.ClusterReplicas.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.voicegate.testing.ClusterReplicas;

/** The do-not-call list on a real Redis Cluster: an entry added by one replica is seen, paged and removed by another. */
class RedisClusterDoNotCallStoreTest {

    @RegisterExtension
    static final ClusterReplicas CLUSTER = new ClusterReplicas();

    static RedisDoNotCallStore replica() {
        return new RedisDoNotCallStore(CLUSTER.dataSource(), Duration.ofSeconds(2));
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
