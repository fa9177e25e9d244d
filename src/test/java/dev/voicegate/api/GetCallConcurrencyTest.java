package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.ANY_CALL;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.limit.AccountLimiter;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * 200 get_calls waiting at once hold no thread: the service runs here with a worker pool of 4 threads, and while
 * all 200 are in a pause between two fetches the JVM has about as many threads as before they came, nothing is in
 * flight to Twilio and no account slot is held. Then the calls end, and at the end of its wait every get_call
 * fetches its call once more and answers it final.
 */
@QuarkusTest
@TestProfile(GetCallConcurrencyTest.OwnInstance.class)
@WithTestResource(value = WireMockTwilio.class, initArgs = {
        @ResourceArg(name = "voicegate.get-call.first-poll", value = "60s"),
        @ResourceArg(name = "voicegate.get-call.max-poll", value = "60s"),
        @ResourceArg(name = "quarkus.thread-pool.max-threads", value = "4"),
        // 200 first fetches share the account's 32 slots: on a busy machine some wait longer than the tests' 1 s,
        // and longer than the door's usual estimate allows (none is to be refused here).
        @ResourceArg(name = "voicegate.upstream.max-queue-wait", value = "20s"),
        @ResourceArg(name = "voicegate.upstream.max-admission-wait", value = "20s"),
        @ResourceArg(name = "voicegate.twilio.timeout-ms", value = "25000") })
class GetCallConcurrencyTest {

    static final int WAITING = 200;
    /** After its first fetch each get_call pauses until its wait is over (polls are 60 s apart here), then fetches again. */
    static final int WAIT_SECONDS = 30;

    /** The tiny worker pool is this instance's own. */
    public static class OwnInstance implements QuarkusTestProfile {
    }

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    AccountLimiter limiter;

    @Test
    void twoHundredWaitingGetCallsHoldNoThread() throws Exception {
        String completed = Fixtures.read("call.json");
        twilio.stubFor(get(urlPathMatching(ANY_CALL)).willReturn(json(completed.replace("\"completed\"", "\"ringing\""))));
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json"))
                .willReturn(fixture(200, "call-recordings-empty.json")));
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
        assertEquals(200, getCall(http, callSid(WAITING), 0).get(20, TimeUnit.SECONDS).statusCode(), "warm-up");
        twilio.resetRequests();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();

        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            waiting.add(getCall(http, callSid(i), WAIT_SECONDS));
        }
        // Every get_call has fetched its call once and is now in its pause.
        await().atMost(Duration.ofSeconds(WAIT_SECONDS - 5)).until(() -> fetches() >= WAITING
                && limiter.inFlight(TestAccounts.ACCOUNT_SID) == 0 && limiter.queued(TestAccounts.ACCOUNT_SID) == 0);
        int during = threads.getThreadCount();
        long workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("executor-thread")).count();
        System.out.printf("%d get_calls waiting: %d threads in the JVM before, %d while they wait (%d worker threads)%n",
                WAITING, before, during, workers);
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), () -> "all still waiting, but: "
                + waiting.stream().filter(CompletableFuture::isDone).limit(3).map(f -> {
                    try {
                        return f.join().statusCode() + " " + f.join().body();
                    } catch (RuntimeException e) {
                        return e.toString();
                    }
                }).toList());
        assertTrue(workers <= 4, workers + " worker threads");
        // Test-side threads (WireMock's pool, the HTTP client) are bounded too; a thread per wait would be 200 more.
        assertTrue(during - before < 40, "threads: " + before + " before, " + during + " during the wait");

        twilio.stubFor(get(urlPathMatching(ANY_CALL)).atPriority(1).willReturn(json(completed)));
        for (CompletableFuture<HttpResponse<String>> answer : waiting) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"status\":\"completed\",\"final\":true"), response.body());
        }
        assertTrue(fetches() >= 2 * WAITING, fetches() + " fetches");
        clientThreads.shutdownNow();
    }

    static String callSid(int i) {
        return String.format("CA%032x", i + 1);
    }

    CompletableFuture<HttpResponse<String>> getCall(HttpClient http, String callSid, int waitSeconds) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                + "/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + callSid + "?wait_seconds=" + waitSeconds))
                .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    int fetches() {
        return twilio.findAll(getRequestedFor(urlPathMatching(ANY_CALL))).size();
    }
}
