package dev.voicegate.quota;

import static dev.voicegate.testing.ClusterReplicas.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.voicegate.testing.ClusterReplicas;

/** Quotas on a real Redis Cluster: two replicas together never exceed a counter's windows; a give-back frees one. */
class RedisClusterQuotaStoreTest {

    @RegisterExtension
    static final ClusterReplicas CLUSTER = new ClusterReplicas();
    static final Window TWO_PER_MINUTE = new Window("calls-per-minute", 2, Duration.ofMinutes(1));
    static final Window THREE_PER_HOUR = new Window("calls-per-hour", 3, Duration.ofHours(1));

    static RedisQuotaStore replica() {
        return new RedisQuotaStore(CLUSTER.dataSource(), Duration.ofSeconds(2));
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
