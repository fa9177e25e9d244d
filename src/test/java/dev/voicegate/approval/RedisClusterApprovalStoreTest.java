package dev.voicegate.approval;

import static dev.voicegate.testing.ClusterReplicas.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.voicegate.testing.ClusterReplicas;

/** Approvals on a real Redis Cluster: one slot opens once across two replicas, is listed, found and decided. */
class RedisClusterApprovalStoreTest {

    @RegisterExtension
    static final ClusterReplicas CLUSTER = new ClusterReplicas();

    static RedisApprovalStore replica() {
        return new RedisApprovalStore(CLUSTER.dataSource(), Duration.ofSeconds(2), Clock.systemUTC(),
                RedisApprovalStore.CLUSTER);
    }

    @Test
    void openOnceFindListAndDecideAcrossTwoReplicas() {
        RedisApprovalStore a = replica();
        RedisApprovalStore b = replica();
        String n = Long.toString(System.nanoTime());
        String slot = "agent-a:make_call:" + n;
        assertNull(result(a.open(slot, "AP" + n, "pending-a", Duration.ofMinutes(5))));
        assertEquals("pending-a", result(b.open(slot, "APother" + n, "pending-b", Duration.ofMinutes(5))));
        assertEquals("pending-a", result(b.find("AP" + n)));
        assertNull(result(b.find("APother" + n)));
        assertTrue(result(b.live(100)).contains("pending-a"));
        assertFalse(result(a.replace("AP" + n, "pending-b", "approved")));
        assertTrue(result(b.replace("AP" + n, "pending-a", "approved")));
        assertEquals("approved", result(a.find("AP" + n)));
    }
}
