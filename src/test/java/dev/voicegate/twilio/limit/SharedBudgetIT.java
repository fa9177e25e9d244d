package dev.voicegate.twilio.limit;

import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisServer;
import dev.voicegate.testing.TestAccounts;
import io.restassured.response.Response;

/**
 * Two processes of the packaged service share one Redis, each with a local bound of 4 (8 together without the shared
 * budget): loaded at once, the Twilio stand-in never sees more than 4 requests in flight. Then one replica is killed
 * (SIGKILL: no release, no renewal) while it holds all 4 slots, and they come back to the other within the lease time.
 */
class SharedBudgetIT {

    static final int BOUND = 4;
    static final Duration LEASE = Duration.ofSeconds(2);

    final RedisServer redis = new RedisServer();
    final List<PackagedApp> replicas = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();
    final ScheduledExecutorService answers = Executors.newScheduledThreadPool(2);
    final ExecutorService clients = Executors.newFixedThreadPool(32);
    /** The stand-in: requests in flight now and at most, and how long it takes to answer. */
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();
    final AtomicLong delayMillis = new AtomicLong(300);
    HttpServer twilio;

    @BeforeEach
    void start() throws IOException {
        redis.start();
        twilio = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        twilio.setExecutor(Executors.newFixedThreadPool(4));
        byte[] page = Fixtures.read("calls-page-last.json").getBytes(StandardCharsets.UTF_8);
        twilio.createContext(CALLS, exchange -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            // Answered later, on a timer: counted out just before the answer goes, so the count never runs behind.
            answers.schedule(() -> answer(exchange, page), delayMillis.get(), TimeUnit.MILLISECONDS);
        });
        twilio.start();
    }

    /** Two replicas with this lease time and these settings on top; warmed, the stand-in's counts reset. */
    void startReplicas(Duration lease, Map<String, String> settings) {
        for (int i = 0; i < 2; i++) {
            startReplica(i, lease, settings);
        }
        for (int port : ports) {
            listCalls(port); // warm
        }
        maxInFlight.set(0);
        served.set(0);
    }

    void answer(HttpExchange exchange, byte[] page) {
        inFlight.decrementAndGet();
        served.incrementAndGet();
        try (exchange; OutputStream body = exchange.getResponseBody()) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, page.length);
            body.write(page);
        } catch (IOException gone) { // the replica was killed
        }
    }

    void startReplica(int index, Duration lease, Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "voicegate.upstream.max-concurrent-per-account", Integer.toString(BOUND),
                "voicegate.upstream.shared-lease", lease.toString(),
                "voicegate.upstream.max-queue-wait", "PT8S",
                "voicegate.twilio.timeout-ms", "20000",
                // The burst is meant to queue for the shared slots, not to be shed at the door: admit whatever can wait.
                "voicegate.upstream.max-admission-wait", "PT8S"));
        settings.putAll(extra);
        PackagedApp replica = PackagedApp.replica("shared-budget-replica-" + index,
                "http://127.0.0.1:" + twilio.getAddress().getPort(), redis.url(), settings);
        replicas.add(replica);
        ports.add(replica.port());
    }

    @AfterEach
    void stop() {
        replicas.forEach(PackagedApp::close);
        clients.shutdownNow();
        answers.shutdownNow();
        if (twilio != null) {
            twilio.stop(0);
        }
        redis.stop();
    }

    static Response listCalls(int port) {
        return given().port(port).header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?include_recordings=false");
    }

    @Test
    void twoLoadedReplicasNeverExceedTheBoundAndAKilledOnesSlotsComeBack() throws Exception {
        startReplicas(LEASE, Map.of());
        List<CompletableFuture<Integer>> load = IntStream.range(0, 32)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> listCalls(ports.get(i % 2)).statusCode(), clients))
                .toList();
        Map<Integer, Long> statuses = load.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(status -> status, Collectors.counting()));
        assertEquals(Map.of(200, 32L), statuses);
        assertEquals(32, served.get());
        assertEquals(BOUND, maxInFlight.get(), "the two replicas together: at most the bound in flight, and reached");

        // The second replica takes every slot and holds it (the stand-in answers only after a minute)...
        delayMillis.set(60_000);
        for (int i = 0; i < BOUND; i++) {
            CompletableFuture.runAsync(() -> listCalls(ports.get(1)), clients);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == BOUND);
        // ... and dies holding them.
        replicas.get(1).kill();
        long killed = System.nanoTime();
        delayMillis.set(50);
        assertEquals(200, listCalls(ports.get(0)).statusCode());
        Duration back = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(back.compareTo(LEASE.dividedBy(2)) > 0, "the dead replica's slots held the request back: " + back);
        assertTrue(back.compareTo(LEASE.plusSeconds(2)) < 0, "its slots came back within the lease time: " + back);
    }

    /**
     * A rollout: the second replica holds every slot and is stopped (SIGTERM), its requests still waiting for Twilio
     * past its shutdown timeout. It gives its leases back as it stops, so the first takes the whole budget at once,
     * not after the 15 s lease time (beyond its 8 s queue wait: it would have refused).
     */
    @Test
    void aStoppedReplicaGivesItsSlotsBackAndTheOtherTakesTheWholeBudgetAtOnce() {
        Duration lease = Duration.ofSeconds(15);
        startReplicas(lease, Map.of("quarkus.shutdown.delay", "PT0S", "quarkus.shutdown.timeout", "PT1S"));
        delayMillis.set(60_000);
        for (int i = 0; i < BOUND; i++) {
            CompletableFuture.runAsync(() -> listCalls(ports.get(1)), clients);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == BOUND);
        long stopping = System.nanoTime();
        replicas.get(1).stop();
        Duration exited = Duration.ofNanos(System.nanoTime() - stopping);
        // The first replica now holds the whole budget at once: BOUND requests in flight together at the stand-in.
        inFlight.set(0); // the stopped replica's requests are gone
        delayMillis.set(5_000);
        long stopped = System.nanoTime();
        List<CompletableFuture<Integer>> whole = IntStream.range(0, BOUND)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> listCalls(ports.get(0)).statusCode(), clients))
                .toList();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> inFlight.get() == BOUND);
        Duration took = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.printf("shared budget: the stopping replica exited in %d ms; the other then held the whole budget "
                + "after %d ms%n", exited.toMillis(), took.toMillis());
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "the whole budget at once, not after the lease: " + took);
        whole.forEach(request -> assertEquals(200, request.join()));
        // Its requests cut at the shutdown timeout give their slots back as they end, or the ShutdownEvent gives back
        // those still held then (SharedBudgetTest covers that step on its own): either way none is left to expire.
        assertFalse(replicaLog(1).contains("could not be given back"), replicaLog(1));
    }

    static String replicaLog(int index) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("target/shared-budget-replica-" + index + ".log"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
