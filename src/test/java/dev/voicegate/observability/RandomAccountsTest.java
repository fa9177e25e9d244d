package dev.voicegate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.Breakers;
import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.RedisServer;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.limit.AccountLimiter;
import dev.voicegate.twilio.limit.SharedBudget;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Pass-through Basic auth accepts any well-formed account SID before Twilio has seen it, so every piece of state a
 * request creates per account must go away or stay bounded: 20,000 requests with random SIDs (Twilio answers 401)
 * add no metric series beyond a fixed few, leave no account in the limiter or the shared budget, and no heap.
 */
@QuarkusTest
// Generous timeouts: the point is what the requests leave behind, on a machine that may be busy.
@WithTestResource(value = WireMockTwilio.class, initArgs = {
        @ResourceArg(name = "voicegate.twilio.timeout-ms", value = "10000"),
        @ResourceArg(name = "voicegate.twilio.max-retries", value = "0"),
        @ResourceArg(name = "voicegate.upstream.shared-timeout", value = "10s") })
@WithTestResource(RedisServer.class)
class RandomAccountsTest {

    static final int REQUESTS = 20_000;
    static final long HEAP_GROWTH = 4 << 20;

    @InjectWireMock
    WireMockServer twilio;

    @TestHTTPResource("/")
    URI root;

    @Inject
    AccountLimiter limiter;

    @Inject
    SharedBudget budget;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void randomPassThroughAccountsLeaveNoStateBehind() throws Exception {
        twilio.resetAll();
        Breakers.resetAll();
        twilio.stubFor(get(urlPathMatching("/2010-04-01/Accounts/AC[0-9a-f]{32}/Calls\\.json"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.read("error-20003.json"))));
        assertEquals("shared", budget.mode());
        send(2_000); // warm: every label set of this path exists, the JIT and the pools have settled
        twilio.resetRequests();
        int seriesBefore = series().size();
        long heapBefore = usedHeapAfterGc();

        long started = System.nanoTime();
        send(REQUESTS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        twilio.verify(REQUESTS, getRequestedFor(urlPathMatching("/2010-04-01/Accounts/.*")));
        twilio.resetRequests(); // WireMock's journal shares this heap
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.busyAccounts() == 0 && budget.busyAccounts() == 0);
        List<String> series = series();
        long heapAfter = settledHeap(heapBefore);
        String measured = String.format("%d requests in %s: metric series %d -> %d, used heap after GC %s -> %s",
                REQUESTS, took, seriesBefore, series.size(), mb(heapBefore), mb(heapAfter));
        System.out.println("RandomAccountsTest: " + measured);
        assertAll(
                () -> assertTrue(series.size() - seriesBefore <= 10, measured),
                () -> assertTrue(heapAfter - heapBefore < HEAP_GROWTH, measured),
                () -> assertTrue(series.stream().anyMatch(s -> s.startsWith("voicegate_upstream_budget_in_use{"
                        + "account=\"other\",scope=\"replica\"} 0.0")), "pass-through accounts share one series"),
                () -> assertFalse(series.stream().anyMatch(s -> s.matches("(?i).*AC[0-9a-f]{32}.*")), "no SID in a label"));
    }

    /** Used heap after GC once it is back under the bound, or the last measurement after 20 s. */
    private static long settledHeap(long before) {
        long[] last = new long[1];
        try {
            // Garbage may take a few collections to go.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> (last[0] = usedHeapAfterGc()) - before < HEAP_GROWTH);
        } catch (ConditionTimeoutException stillGrown) {
            // reported by the assertion
        }
        return last[0];
    }

    /** Lists calls of {@code count} random accounts through pass-through Basic auth, 8 at a time. */
    private void send(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                statuses.add(pool.submit(() -> {
                    String account = randomSid();
                    HttpRequest request = HttpRequest.newBuilder(root.resolve("/v1/accounts/" + account
                            + "/calls?include_recordings=false"))
                            .header("Authorization", TestAccounts.basic(account, "any-token"))
                            .timeout(Duration.ofSeconds(30)).GET().build();
                    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                }));
            }
            for (Future<Integer> status : statuses) {
                assertEquals(401, status.get(), "Twilio's 401 passed on");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> series() throws Exception {
        String body = http.send(HttpRequest.newBuilder(root.resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    private static String randomSid() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "AC" + HexFormat.of().formatHex(bytes);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
