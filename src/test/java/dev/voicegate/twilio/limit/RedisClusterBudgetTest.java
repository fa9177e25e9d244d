package dev.voicegate.twilio.limit;

import static dev.voicegate.testing.ClusterReplicas.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.voicegate.testing.ClusterReplicas;

/** The shared budget's leases on a real Redis Cluster: two replicas share each account's bound. */
class RedisClusterBudgetTest {

    @RegisterExtension
    static final ClusterReplicas CLUSTER = new ClusterReplicas();
    static final Duration LEASE = Duration.ofSeconds(15);

    static RedisBudget replica() {
        return new RedisBudget(CLUSTER.dataSource()::execute, Duration.ofSeconds(2));
    }

    @Test
    void twoReplicasShareEachAccountsBound() {
        RedisBudget a = replica();
        RedisBudget b = replica();
        for (int i = 0; i < 6; i++) { // accounts spread over the masters
            String account = "ac" + i + System.nanoTime();
            assertEquals(new RedisBudget.Taken(true, 1), result(a.take(account, 2, LEASE, "a-1")));
            assertEquals(new RedisBudget.Taken(true, 2), result(b.take(account, 2, LEASE, "b-1")));
            assertEquals(new RedisBudget.Taken(false, 2), result(a.take(account, 2, LEASE, "a-2")));
            assertEquals(new RedisBudget.Renewed(0, 2), result(b.renew(account, LEASE, List.of("b-1"))));
            assertEquals(1, result(a.give(account, "a-1")));
            assertEquals(new RedisBudget.Taken(true, 2), result(b.take(account, 2, LEASE, "b-2")));
            assertEquals(0, result(b.give(account, List.of("b-1", "b-2"))));
        }
    }
}
