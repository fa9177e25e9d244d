package dev.voicegate.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisCluster;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The whole ledger contract on a real Redis Cluster (three masters, three replicas, loopback), and two replicas (each
 * with its own cluster client) waking each other's waiters through the channel, which a PUBLISH on any node reaches.
 */
class RedisClusterLedgerTest extends LedgerContractTest {

    static RedisCluster cluster;
    static Vertx vertx;
    final List<RedisLedger> replicas = new ArrayList<>();
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
    void closeReplicas() {
        replicas.forEach(RedisLedger::close);
        clients.forEach(Redis::close);
    }

    @Override
    Ledger newLedger() {
        cluster.flushAll();
        return replica();
    }

    RedisLedger replica() {
        RedisLedger replica = new RedisLedger(cluster.dataSource(vertx, clients), LedgerKeys.CLUSTER, vertx,
                new RedisLedger.Settings(RETENTION, 100, Duration.ofSeconds(2), Duration.ofMillis(100)), Clock.systemUTC());
        replicas.add(replica);
        return replica;
    }

    @Test
    void anEventRecordedOnOneReplicaWakesAWaiterOnAnother() {
        RedisLedger a = (RedisLedger) ledger;
        RedisLedger b = replica();
        placed("a1", "CA01", 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.subscribed() && b.subscribed());
        AtomicInteger woken = new AtomicInteger();
        a.watch("CA01", woken::incrementAndGet);
        assertEquals(Ledger.EventOutcome.ACCEPTED, result(b.event("CA01", callback("ringing", 1, null, base))));
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.get() > 0);
        assertEquals(Ledger.EventOutcome.DUPLICATE, result(a.event("CA01", callback("ringing", 1, null, base))));
    }
}
