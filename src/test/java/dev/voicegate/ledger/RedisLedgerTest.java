package dev.voicegate.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisServer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;

/**
 * The ledger contract on a real redis-server (loopback), and what only the shared store does: key names without
 * account SIDs or numbers, expiry of every key, two replicas (two ledgers, each with its own client) waking each
 * other's waiters, writes kept through an outage and written after it, and the bytes an entry takes.
 */
class RedisLedgerTest extends LedgerContractTest {

    static final RedisServer SERVER = new RedisServer();
    static Vertx vertx;
    final List<RedisLedger> replicas = new ArrayList<>();
    final List<Redis> clients = new ArrayList<>();
    ReactiveRedisDataSource admin;

    @BeforeAll
    static void startRedis() {
        SERVER.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() {
        SERVER.stop();
        vertx.close();
    }

    @AfterEach
    void closeReplicas() {
        replicas.forEach(RedisLedger::close);
        clients.forEach(Redis::close);
    }

    @Override
    Ledger newLedger() {
        admin = dataSource();
        result(admin.execute("FLUSHALL"));
        return replica(100);
    }

    ReactiveRedisDataSource dataSource() {
        io.vertx.mutiny.core.Vertx mutiny = io.vertx.mutiny.core.Vertx.newInstance(vertx);
        Redis client = Redis.createClient(mutiny, SERVER.url());
        clients.add(client);
        return new ReactiveRedisDataSourceImpl(mutiny, client, RedisAPI.api(client));
    }

    /** Another replica: its own client, the same Redis. Queued writes and the subscription are retried every 100 ms. */
    RedisLedger replica(int pendingMax) {
        RedisLedger replica = new RedisLedger(dataSource(), vertx,
                new RedisLedger.Settings(RETENTION, pendingMax, Duration.ofSeconds(2), Duration.ofMillis(100)), Clock.systemUTC());
        replicas.add(replica);
        return replica;
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        result(admin.execute("KEYS", "voicegate:ledger:*")).forEach(key -> keys.add(key.toString()));
        return keys;
    }

    @Test
    void keyNamesHoldNoAccountSidNumberOrKeyNameAndEveryKeyExpires() {
        ledger.attempted(attempt("a1", ACCOUNT, "agent-a", "+14155551234", "idem-1", base));
        ledger.outcome("a1", "CA01", LedgerEntry.PLACED);
        result(ledger.event("CA01", callback("ringing", 1, "tok-1", base)));
        List<String> keys = keys();
        assertEquals(6, keys.size(), keys.toString()); // entry, sid, all, account, key, idempotency key
        for (String key : keys) {
            String lower = key.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains(ACCOUNT.toLowerCase(Locale.ROOT).substring(2)), key);
            assertFalse(lower.contains("4155551234") || lower.contains("agent-a") || lower.contains("idem-1"), key);
            long ttl = result(admin.execute("PTTL", key)).toLong();
            assertTrue(ttl > 0 && ttl <= RETENTION.toMillis(), key + " expires in " + ttl + " ms");
        }
    }

    @Test
    void anEventRecordedOnOneReplicaWakesAWaiterOnAnother() {
        RedisLedger a = (RedisLedger) ledger;
        RedisLedger b = replica(100);
        placed("a1", "CA01", 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.subscribed() && b.subscribed());
        AtomicInteger woken = new AtomicInteger();
        a.watch("CA01", woken::incrementAndGet);
        assertEquals(Ledger.EventOutcome.ACCEPTED, result(b.event("CA01", callback("ringing", 1, null, base))));
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.get() > 0);
        assertEquals(Ledger.EventOutcome.DUPLICATE, result(a.event("CA01", callback("ringing", 1, null, base))));
    }

    @Test
    void anEventRecordedOnOneReplicaWakesAWatchOfEveryCallOnAnother() {
        RedisLedger a = (RedisLedger) ledger;
        RedisLedger b = replica(100);
        placed("a1", "CA01", 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.subscribed() && b.subscribed());
        List<String> woken = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.watchAll(woken::add);
        assertEquals(Ledger.EventOutcome.ACCEPTED, result(b.event("CA01", callback("ringing", 1, null, base))));
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains("CA01"));
    }

    @Test
    void writesMadeWhileRedisIsDownAreKeptInOrderAndWrittenWhenItIsBack() {
        RedisLedger a = (RedisLedger) ledger;
        RedisLedger b = replica(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.subscribed() && b.subscribed());
        SERVER.outage(() -> {
            ledger.attempted(attempt("o1", ACCOUNT, "agent-a", "+14155551234", null, base));
            ledger.outcome("o1", "CA50", LedgerEntry.PLACED);
            ledger.details("CA50", new CallDetails("12", null, null, null, List.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.backlog().degraded());
            assertEquals(new Ledger.Backlog(3, 0, true), a.backlog());
            // The write lag (voicegate_ledger_write_lag_seconds) is the oldest waiting write's age: it grows.
            Duration lag = a.writeLag();
            assertTrue(lag.compareTo(Duration.ZERO) > 0, lag.toString());
            await().atMost(Duration.ofSeconds(5)).until(() -> a.writeLag().compareTo(lag) > 0);
            assertThrows(LedgerUnavailableException.class, () -> result(a.find("CA50")));
            assertThrows(LedgerUnavailableException.class, () -> result(a.list(everything(10))));
            assertThrows(LedgerUnavailableException.class, () -> result(a.event("CA50", callback("ringing", 1, null, base))));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> a.backlog().equals(Ledger.Backlog.NONE));
        assertEquals(Duration.ZERO, a.writeLag(), "nothing waits");
        LedgerEntry entry = result(b.find("CA50")).orElseThrow();
        assertEquals(LedgerEntry.PLACED, entry.outcome());
        assertEquals("12", entry.details().duration());

        // Both subscribed again: an event on one still wakes a waiter on the other.
        await().atMost(Duration.ofSeconds(10)).until(() -> a.subscribed() && b.subscribed());
        AtomicInteger woken = new AtomicInteger();
        a.watch("CA50", woken::incrementAndGet);
        assertEquals(Ledger.EventOutcome.ACCEPTED, result(b.event("CA50", callback("ringing", 1, null, base))));
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.get() > 0);
    }

    @Test
    void whileRedisIsDownTheQueueIsBoundedAndLaterWritesAreDroppedAndCounted() {
        RedisLedger small = replica(2);
        SERVER.outage(() -> {
            small.attempted(attempt("q1", ACCOUNT, "agent-a", "+14155551234", null, base));
            small.attempted(attempt("q2", ACCOUNT, "agent-a", "+14155551234", null, base.plusSeconds(1)));
            small.attempted(attempt("q3", ACCOUNT, "agent-a", "+14155551234", null, base.plusSeconds(2)));
            await().atMost(Duration.ofSeconds(10)).until(() -> small.backlog().degraded());
            assertEquals(new Ledger.Backlog(2, 1, true), small.backlog());
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> small.backlog().pending() == 0);
        assertEquals(List.of("q2", "q1"), ids(all(everything(10))));
    }

    @Test
    void aWriteThatRedisRefusesIsDroppedAndDoesNotHoldBackTheOthers() {
        result(admin.execute("SET", LedgerKeys.STANDALONE.all(), "not a sorted set"));
        ledger.attempted(attempt("refused", ACCOUNT, "agent-a", "+14155551234", null, base));
        ledger.outcome("refused", "CA01", LedgerEntry.PLACED);
        result(admin.execute("DEL", LedgerKeys.STANDALONE.all()));
        placed("a2", "CA02", 1);
        assertEquals("a2", entry("CA02").attempt().id());
        assertEquals(Ledger.Backlog.NONE, ledger.backlog());
    }

    /** The figure in docs/operations.md ("Call ledger"): Redis's MEMORY USAGE of every ledger key, per entry. */
    @Test
    void bytesPerEntry() {
        int entries = 500;
        for (int i = 0; i < entries; i++) {
            String sid = String.format("CA%032x", i);
            CallAttempt attempt = new CallAttempt(String.format("%032x", i), ACCOUNT, "agent-a", "rest", "+14155551234",
                    "+15005550006", "https://example.com/twiml/answer.xml", null, "idem-" + i,
                    "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "4bf92f3577b34da6a3ce929d0e0e4736", base.plusSeconds(i), true, null);
            ledger.attempted(attempt);
            ledger.outcome(attempt.id(), sid, LedgerEntry.PLACED);
            String[] statuses = { "initiated", "ringing", "in-progress", "completed" };
            for (int s = 0; s < statuses.length; s++) {
                result(ledger.event(sid, callback(statuses[s], s, String.format("%08x-7c2f-4b1e-9a3d-%012x", i, s),
                        base.plusSeconds(i + 5L * s))));
            }
            ledger.details(sid, new CallDetails("31", "-0.01400", "USD", "human", List.of()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.backlog().pending() == 0);
        long total = 0;
        long entryHash = 0;
        for (String key : keys()) {
            Response usage = result(admin.execute("MEMORY", "USAGE", key, "SAMPLES", "0"));
            total += usage.toLong();
            if (key.equals(LedgerKeys.STANDALONE.entry(String.format("%032x", 7)))) {
                entryHash = usage.toLong();
            }
        }
        System.out.printf("Redis ledger: %d bytes per entry (%d entries, every key; the entry's hash alone: %d bytes)%n",
                total / entries, entries, entryHash);
        assertTrue(total / entries < 4096, "bytes per entry: " + total / entries);
    }

    @Test
    void controlEventsAreCappedSharedByReplicasExpireAndHoldNoNumberInClear() {
        RedisLedger small = new RedisLedger(dataSource(), vertx, new RedisLedger.Settings(RETENTION, 100,
                Duration.ofSeconds(2), Duration.ofMillis(100), 3), Clock.systemUTC());
        replicas.add(small);
        for (int i = 0; i < 5; i++) {
            small.control(control("suspend_key", "agent-" + i, base.plusSeconds(i)));
        }
        result(small.controls(null, 1)); // after its own queued writes
        assertEquals(List.of("agent-4", "agent-3", "agent-2"), controls(2).stream().map(ControlEvent::target).toList(),
                "read on another replica, after the cap");
        for (String key : keys()) {
            long ttl = result(admin.execute("PTTL", key)).toLong();
            assertTrue(ttl > 0 && ttl <= RETENTION.toMillis(), key + " expires in " + ttl + " ms");
        }
        result(admin.execute("ZRANGE", "voicegate:ledger:{controls}", "0", "-1")).forEach(member ->
                assertFalse(member.toString().contains("4155550123"), member.toString()));
    }

    @Test
    void controlEventsMadeWhileRedisIsDownAreWrittenWhenItIsBack() {
        RedisLedger a = (RedisLedger) ledger;
        RedisLedger b = replica(100);
        SERVER.outage(() -> {
            a.control(control("suspend_key", "agent-a", base));
            a.control(control("resume_key", "agent-a", base.plusSeconds(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.backlog().degraded());
            assertEquals(2, a.backlog().pending());
            assertThrows(LedgerUnavailableException.class, () -> result(a.controls(null, 10)));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> a.backlog().equals(Ledger.Backlog.NONE));
        assertEquals(List.of("resume_key", "suspend_key"),
                result(b.controls(null, 10)).events().stream().map(ControlEvent::action).toList());
    }
}
