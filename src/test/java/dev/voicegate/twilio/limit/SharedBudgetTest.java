package dev.voicegate.twilio.limit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.observability.BudgetMetrics;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The shared budget against a real redis-server on loopback: the scripts, expiry and renewal, two limiters (each with
 * its own Redis connection, as two replicas) under load, a replica that dies holding leases, and Redis going away.
 */
class SharedBudgetTest {

    static final String ACCOUNT = "acaaaaaaaabbbbbbbbccccccccdddddddd";
    static final Duration LEASE = Duration.ofMillis(900);

    final RedisServer server = new RedisServer();
    final Vertx vertx = Vertx.vertx();
    final List<Redis> clients = new ArrayList<>();
    final List<SharedBudget> budgets = new ArrayList<>();
    final List<UniAssertSubscriber<?>> subscribers = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        server.start();
    }

    @AfterEach
    void stopAll() {
        subscribers.forEach(UniAssertSubscriber::cancel);
        budgets.forEach(SharedBudget::stop);
        clients.forEach(Redis::close);
        server.stop();
        vertx.close();
    }

    /** A replica's connection to Redis, as the service's client sends commands. */
    RedisBudget.Commands connection() {
        Redis client = Redis.createClient(io.vertx.mutiny.core.Vertx.newInstance(vertx), server.url());
        clients.add(client);
        return (command, args) -> {
            Request request = Request.cmd(Command.create(command));
            for (String arg : args) {
                request.arg(arg);
            }
            return client.send(request);
        };
    }

    /** A generous command timeout: this machine may be loaded, and a timeout would switch to the local share. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    RedisBudget redis() {
        return new RedisBudget(connection(), TIMEOUT);
    }

    SharedBudget budget(int bound, int localShare, Duration maxWait, MeterRegistry registry) {
        SharedBudget budget = new SharedBudget(new SharedBudget.Settings(bound, localShare, maxWait, LEASE, TIMEOUT),
                redis(), vertx, new BudgetMetrics(registry));
        budgets.add(budget);
        return budget;
    }

    /** A replica's limiter: a local bound as large as the shared one, so only the shared budget can hold it back. */
    AccountLimiter replica(int bound, Duration maxWait) {
        return new AccountLimiter(bound, 256, maxWait, Duration.ofHours(1), budget(bound, 1, maxWait, new SimpleMeterRegistry()));
    }

    UniAssertSubscriber<AccountLimiter.Lease> acquire(AccountLimiter limiter) {
        UniAssertSubscriber<AccountLimiter.Lease> subscriber = limiter.acquire(ACCOUNT, Turn.FIRST).subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        subscribers.add(subscriber);
        return subscriber;
    }

    static <T> T result(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(5));
    }

    String raw(String... command) {
        Response response = result(connection().send(command[0], java.util.Arrays.copyOfRange(command, 1, command.length)));
        return response == null ? null : response.toString();
    }

    @Test
    void theScriptsGrantUpToTheBoundAndRefuseBeyondAndAReleaseFreesASlot() {
        RedisBudget redis = redis();
        for (int i = 1; i <= 3; i++) {
            assertEquals(new RedisBudget.Taken(true, i), result(redis.take(ACCOUNT, 3, LEASE, "lease-" + i)));
        }
        assertEquals(new RedisBudget.Taken(false, 3), result(redis.take(ACCOUNT, 3, LEASE, "lease-4")));
        assertEquals(2, result(redis.give(ACCOUNT, "lease-2")));
        assertEquals(new RedisBudget.Taken(true, 3), result(redis.take(ACCOUNT, 3, LEASE, "lease-5")));
        // Hashed in the key: no account SID is stored in clear.
        assertEquals("[" + RedisBudget.key(ACCOUNT) + "]", raw("KEYS", "*"));
        assertFalse(raw("KEYS", "*").toLowerCase().contains(ACCOUNT));
        assertEquals(RedisBudget.key(ACCOUNT), RedisBudget.key(ACCOUNT.toUpperCase()));
    }

    @Test
    void aDeadHoldersSlotsComeBackWhenTheirLeasesExpire() {
        RedisBudget redis = redis();
        assertTrue(result(redis.take(ACCOUNT, 2, LEASE, "dead-1")).taken());
        assertTrue(result(redis.take(ACCOUNT, 2, LEASE, "dead-2")).taken());
        long start = System.nanoTime();
        await().atMost(LEASE.plusSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> result(redis.take(ACCOUNT, 2, LEASE, "alive")).taken());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(LEASE.minusMillis(100)) > 0, "expired early");
    }

    @Test
    void renewalKeepsALiveHoldersLeasesBeyondTheLeaseTime() {
        AccountLimiter holder = replica(2, Duration.ofSeconds(5));
        acquire(holder).awaitItem();
        acquire(holder).awaitItem();
        RedisBudget other = redis();
        // Three lease times on, both slots are still taken: renewed every third of the lease time.
        await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(4)).pollInterval(Duration.ofMillis(50))
                .until(() -> !result(other.take(ACCOUNT, 2, LEASE, "other")).taken());
    }

    @Test
    void oneRoundTripToTakeAndOneToGiveBack() {
        AccountLimiter limiter = replica(4, Duration.ofSeconds(5));
        acquire(limiter).awaitItem().getItem().release(); // loads the scripts
        long before = evals();
        AccountLimiter.Lease lease = acquire(limiter).awaitItem().getItem();
        assertEquals(before + 1, evals());
        lease.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> evals() == before + 2);
        assertEquals("0", raw("ZCARD", RedisBudget.key(ACCOUNT)));
    }

    long evals() {
        String stats = raw("INFO", "commandstats");
        int at = stats.indexOf("cmdstat_eval:calls=");
        return at < 0 ? 0 : Long.parseLong(stats.substring(at + 19, stats.indexOf(',', at)));
    }

    @Test
    void twoLoadedReplicasTogetherNeverExceedTheBound() {
        int bound = 4;
        List<AccountLimiter> replicas = List.of(replica(bound, Duration.ofSeconds(20)), replica(bound, Duration.ofSeconds(20)));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<UniAssertSubscriber<String>> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            AccountLimiter limiter = replicas.get(i % 2);
            requests.add(limiter.limit(ACCOUNT, i % 3 == 0 ? Turn.FOLLOW_UP : Turn.FIRST, () -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                CompletableFuture<String> done = new CompletableFuture<>();
                vertx.setTimer(15, id -> {
                    inFlight.decrementAndGet();
                    done.complete("ok");
                });
                return Uni.createFrom().completionStage(done);
            }).subscribe().withSubscriber(UniAssertSubscriber.create()));
        }
        requests.forEach(request -> request.awaitItem(Duration.ofSeconds(20)).assertItem("ok"));
        assertEquals(bound, maxInFlight.get(), "at most the bound in flight, and the bound reached");
        assertEquals("0", raw("ZCARD", RedisBudget.key(ACCOUNT)));
    }

    @Test
    void aKilledReplicasSlotsComeBackWithinTheLeaseTime() {
        AccountLimiter dying = replica(2, Duration.ofSeconds(5));
        acquire(dying).awaitItem();
        acquire(dying).awaitItem();
        AccountLimiter survivor = replica(2, Duration.ofSeconds(5));
        UniAssertSubscriber<AccountLimiter.Lease> waiting = acquire(survivor);
        // The replica dies holding both slots: no renewal, no release.
        budgets.get(0).stop();
        long killed = System.nanoTime();
        waiting.awaitItem(LEASE.plusSeconds(2));
        Duration back = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(back.compareTo(LEASE.plusMillis(500)) < 0, "slots back after " + back);
    }

    @Test
    void aStoppingReplicaGivesItsLeasesBackAndTheOtherTakesTheWholeBudgetAtOnce() {
        Duration lease = Duration.ofSeconds(15); // the default: what the other replica would wait without the give-back
        SharedBudget.Settings settings = new SharedBudget.Settings(3, 1, Duration.ofSeconds(10), lease, TIMEOUT);
        SharedBudget stoppingBudget = new SharedBudget(settings, redis(), vertx, new BudgetMetrics(new SimpleMeterRegistry()));
        SharedBudget stayingBudget = new SharedBudget(settings, redis(), vertx, new BudgetMetrics(new SimpleMeterRegistry()));
        budgets.add(stoppingBudget);
        budgets.add(stayingBudget);
        AccountLimiter stopping = new AccountLimiter(3, 256, Duration.ofSeconds(10), Duration.ofHours(1), stoppingBudget);
        AccountLimiter staying = new AccountLimiter(3, 256, Duration.ofSeconds(10), Duration.ofHours(1), stayingBudget);
        List<AccountLimiter.Lease> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(acquire(stopping).awaitItem().getItem());
        }
        UniAssertSubscriber<AccountLimiter.Lease> waiting = acquire(staying);
        try (LogCapture log = LogCapture.install()) {
            long stopped = System.nanoTime();
            stoppingBudget.giveBackAll(); // what the ShutdownEvent does, on this (non event-loop) thread
            waiting.awaitItem(Duration.ofSeconds(5));
            acquire(staying).awaitItem(Duration.ofSeconds(5));
            acquire(staying).awaitItem(Duration.ofSeconds(5));
            Duration took = Duration.ofNanos(System.nanoTime() - stopped);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "the whole budget at once, not after the lease: " + took);
            assertEquals("3", raw("ZCARD", RedisBudget.key(ACCOUNT)), "the staying replica's three");
            // A request of the stopped replica that ends afterwards gives its slot back locally only: nothing is
            // removed from, or added again to, Redis (the other replica's leases stay).
            held.forEach(AccountLimiter.Lease::release);
            assertEquals(0, stopping.inFlight(ACCOUNT));
            assertEquals("3", raw("ZCARD", RedisBudget.key(ACCOUNT)));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("gave 3 leases")), log.lines()::toString);
        }
    }

    @Test
    void aStoppingReplicaWithRedisAwayGivesUpAtOnceAndItsLeasesExpireThere() {
        SharedBudget budget = budget(2, 1, Duration.ofSeconds(1), new SimpleMeterRegistry());
        AccountLimiter limiter = new AccountLimiter(2, 256, Duration.ofSeconds(1), Duration.ofHours(1), budget);
        acquire(limiter).awaitItem();
        server.stopProcess();
        long stopped = System.nanoTime();
        budget.giveBackAll();
        assertTrue(Duration.ofNanos(System.nanoTime() - stopped).compareTo(TIMEOUT.multipliedBy(2).plusSeconds(1)) < 0,
                "bounded by twice the command timeout");
    }

    @Test
    void aFullSharedBudgetFailsAsThrottledAfterTheQueueWait() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SharedBudget budget = budget(1, 1, Duration.ofMillis(200), registry);
        AccountLimiter replica = new AccountLimiter(1, 256, Duration.ofMillis(200), Duration.ofHours(1), budget);
        AccountLimiter other = replica(1, Duration.ofMillis(200));
        acquire(other).awaitItem();
        Throwable refused = acquire(replica).awaitFailure(Duration.ofSeconds(5)).getFailure();
        assertInstanceOf(LimitReachedException.class, refused);
        assertTrue(refused.getMessage().contains("limit of 1 concurrent Twilio requests for this account, shared by "
                + "every replica, is reached and no slot freed up within 200 ms"), refused.getMessage());
        assertEquals(0, replica.inFlight(ACCOUNT), "the local slot was given back");
        String label = SharedBudget.label(ACCOUNT);
        assertEquals(1.0, registry.get("voicegate.upstream.budget.waits").tag("account", label).counter().count());
        assertEquals(1.0, registry.get("voicegate.upstream.budget.refusals").tag("account", label).counter().count());
        assertEquals(1.0, registry.get("voicegate.upstream.budget.in.use").tag("account", label).tag("scope", "shared")
                .gauge().value());
        assertFalse(label.contains("aaaaaaaa"));
    }

    @Test
    void passThroughAccountsShareOneOtherSeriesAndOnlyConfiguredOnesHaveTheirOwn() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SharedBudget budget = new SharedBudget(new SharedBudget.Settings(4, 1, Duration.ofSeconds(1), LEASE, TIMEOUT),
                redis(), vertx, new BudgetMetrics(registry), ACCOUNT::equals);
        budgets.add(budget);
        AccountLimiter replica = new AccountLimiter(4, 256, Duration.ofSeconds(1), Duration.ofHours(1), budget);
        List<AccountLimiter.Lease> leases = new ArrayList<>();
        for (String account : List.of(ACCOUNT, "ac11111111111111111111111111111111", "ac22222222222222222222222222222222")) {
            leases.add(replica.acquire(account, Turn.FIRST).await().atMost(Duration.ofSeconds(5)));
        }
        String label = SharedBudget.label(ACCOUNT);
        assertEquals(2.0, inUse(registry, BudgetMetrics.OTHER, "replica"), "both pass-through accounts' slots");
        assertEquals(1.0, inUse(registry, label, "replica"));
        assertEquals(1.0, inUse(registry, label, "shared"));
        assertEquals(3, registry.find("voicegate.upstream.budget.in.use").gauges().size(), "no shared series for other");
        leases.forEach(AccountLimiter.Lease::release);
        assertEquals(0.0, inUse(registry, BudgetMetrics.OTHER, "replica"));
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.busyAccounts() == 0 && replica.busyAccounts() == 0);
    }

    static double inUse(MeterRegistry registry, String account, String scope) {
        return registry.get("voicegate.upstream.budget.in.use").tag("account", account).tag("scope", scope).gauge().value();
    }

    @Test
    void aFollowUpWaitsForTheSharedBudgetPastTheQueueWaitAndGetsTheFirstFreedSlot() {
        AccountLimiter replica = replica(1, Duration.ofMillis(100));
        AccountLimiter other = replica(1, Duration.ofMillis(100));
        AccountLimiter.Lease held = acquire(other).awaitItem().getItem();
        UniAssertSubscriber<AccountLimiter.Lease> followUp = replica.acquire(ACCOUNT, Turn.FOLLOW_UP).subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        subscribers.add(followUp);
        UniAssertSubscriber<AccountLimiter.Lease> first = acquire(replica);
        assertInstanceOf(LimitReachedException.class, first.awaitFailure(Duration.ofSeconds(5)).getFailure());
        // Three queue waits later the follow-up still asks, and gets the slot as soon as the other replica frees it.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> followUp.getItem() == null && followUp.getFailure() == null);
        held.release();
        followUp.awaitItem(Duration.ofSeconds(5)).getItem().release();
    }

    @Test
    void withRedisDownTheLocalShareHoldsNothingHangsAndRecoveryGoesBackToShared() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SharedBudget budget = budget(8, 2, Duration.ofMillis(300), registry);
        AccountLimiter limiter = new AccountLimiter(8, 256, Duration.ofMillis(300), Duration.ofHours(1), budget);
        AccountLimiter.Lease before = acquire(limiter).awaitItem().getItem();
        assertEquals("shared", budget.mode());
        try (LogCapture log = LogCapture.install()) {
            server.stopProcess();
            // The lease taken before the outage counts toward the local share: one more, then refusals.
            AccountLimiter.Lease during = acquire(limiter).awaitItem(Duration.ofSeconds(5)).getItem();
            assertEquals("local-share", budget.mode());
            assertEquals(2, budget.perAccount());
            for (int i = 0; i < 3; i++) {
                assertInstanceOf(LimitReachedException.class, acquire(limiter).awaitFailure(Duration.ofSeconds(5))
                        .getFailure());
            }
            assertEquals(1.0, registry.get("voicegate.upstream.budget.fallback").gauge().value());
            during.release();
            before.release(); // Redis is not asked: its copy of the lease expires
            List<AccountLimiter.Lease> share = List.of(acquire(limiter).awaitItem(Duration.ofSeconds(5)).getItem(),
                    acquire(limiter).awaitItem(Duration.ofSeconds(5)).getItem());

            server.startProcess();
            await().atMost(Duration.ofSeconds(5)).until(() -> budget.mode().equals("shared"));
            // The leases held through the outage are in Redis again, and the whole bound is shared again.
            await().atMost(Duration.ofSeconds(5)).until(() -> "2".equals(raw("ZCARD", RedisBudget.key(ACCOUNT))));
            for (int i = 0; i < 6; i++) {
                assertNotNull(acquire(limiter).awaitItem(Duration.ofSeconds(5)).getItem());
            }
            assertInstanceOf(LimitReachedException.class, acquire(limiter).awaitFailure(Duration.ofSeconds(5))
                    .getFailure());
            assertEquals(0.0, registry.get("voicegate.upstream.budget.fallback").gauge().value());
            share.forEach(AccountLimiter.Lease::release);
            List<String> lines = log.lines().stream().filter(line -> line.contains(BudgetLeases.class.getName())).toList();
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(0).startsWith("WARN") && lines.get(0).contains("local share of 2"), lines::toString);
            assertTrue(lines.get(1).startsWith("INFO") && lines.get(1).contains("shared by every replica again"),
                    lines::toString);
        }
    }

    @Test
    void withoutRedisNothingChanges() {
        SharedBudget off = SharedBudget.off();
        assertEquals("local", off.mode());
        Uni<AccountLimiter.Lease> local = Uni.createFrom().nullItem();
        assertTrue(off.after(ACCOUNT, Turn.FIRST, local) == local);
        assertNull(result(off.after(ACCOUNT, Turn.FIRST, local)));
    }
}
