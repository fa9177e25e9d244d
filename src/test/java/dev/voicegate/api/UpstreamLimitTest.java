package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static dev.voicegate.testing.TwilioStubs.ANY_CALL_RECORDINGS;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.ServiceApi;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.limit.AccountLimiter;
import dev.voicegate.twilio.limit.Turn;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;

/**
 * Voicegate's own per-account bound on concurrent Twilio requests: list_calls stays under it and completes,
 * and when the account's slots and queue are full, requests fail fast as rate_limited without reaching Twilio.
 * The account is saturated by holding slots directly in the {@link AccountLimiter}, which is deterministic.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@TestProfile(UpstreamLimitTest.FourSlots.class)
class UpstreamLimitTest {

    static final int SLOTS = 4;
    static final int QUEUE = 64;

    /**
     * 4 slots per account and 64 places for new actions. The wait for a slot (5 s) is shorter than the per-attempt
     * timeout (8 s here), as TwilioClient recommends, so an attempt that gets no slot fails as rate_limited rather
     * than as a timeout. The door's estimate is out of the way (an hour): here the queue's length is the limit.
     */
    public static class FourSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "voicegate.upstream.max-concurrent-per-account", String.valueOf(SLOTS),
                    "voicegate.upstream.max-queued-per-account", String.valueOf(QUEUE),
                    "voicegate.upstream.max-queue-wait", "5s",
                    "voicegate.upstream.max-admission-wait", "1h",
                    "voicegate.list-calls.recording-lookup-concurrency", "16",
                    "voicegate.twilio.timeout-ms", "8000");
        }
    }

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    AccountLimiter limiter;

    @Inject
    CircuitBreakerMaintenance breakers;

    /** Slots and queue places taken by the test itself, given back after each test. */
    final List<Cancellable> held = Collections.synchronizedList(new ArrayList<>());
    /** How many of the held requests got a slot. */
    final AtomicInteger heldRunning = new AtomicInteger();

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    @AfterEach
    void releaseHeldSlots() {
        releaseHeld();
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.busyAccounts() == 0);
    }

    /** Takes {@code n} slots or queue places of the test account with requests that never end. */
    void hold(int n) {
        for (int i = 0; i < n; i++) {
            held.add(limiter.limit(TestAccounts.ACCOUNT_SID, Turn.FIRST, () -> {
                heldRunning.incrementAndGet();
                return Uni.createFrom().nothing();
            }).subscribe().with(item -> {
            }, failure -> {
            }));
        }
    }

    /**
     * Fills every slot and queue place of the test account afresh, so that no held place has reached
     * max-queue-wait (and left the queue) by the time the next request arrives.
     */
    void saturate() {
        releaseHeld();
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.busyAccounts() == 0);
        hold(SLOTS + QUEUE);
    }

    /** Gives back the held places, the most recent (queued) first so that freed slots go to real requests. */
    void releaseHeld() {
        List<Cancellable> toCancel;
        synchronized (held) {
            toCancel = new ArrayList<>(held);
            held.clear();
        }
        Collections.reverse(toCancel);
        toCancel.forEach(Cancellable::cancel);
    }

    static ValidatableResponse action(String name, String json) {
        return ServiceApi.action(name, json);
    }

    List<ServeEvent> lookupsServed() {
        return twilio.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().split("\\?", 2)[0].matches(ANY_CALL_RECORDINGS)).toList();
    }

    static String listCallsBody() {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"}";
    }

    @Test
    void recordingLookupsNeverHaveMoreThanTheBoundInFlightAndAllComplete() {
        int n = 20;
        List<String> callSids = ListCallsSuite.stubCallsWithRecordings(twilio, n, 0, 200);

        ValidatableResponse response = action("list_calls", listCallsBody())
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(n));
        ContractSchemas.assertValidOutput("list_calls", response.extract().asString());
        assertEquals(callSids, response.extract().jsonPath().getList("calls.call_sid"));
        List<List<String>> recordings = response.extract().jsonPath().getList("calls.recording_sids");
        for (int i = 0; i < n; i++) {
            assertEquals(List.of(ListCallsSuite.recordingSid(i)), recordings.get(i), callSids.get(i));
        }

        List<ServeEvent> lookups = lookupsServed();
        assertEquals(n, lookups.size(), "one lookup per call: none was throttled or retried");
        int overlap = ListCallsSuite.maxOverlap(twilio.getAllServeEvents());
        assertTrue(overlap <= SLOTS, "at most " + SLOTS + " Twilio requests in flight, saw " + overlap);
        assertTrue(overlap > 1, "lookups still run in parallel, max overlap was " + overlap);
    }

    /** voicegate_upstream_door_refusals_total of this reason, every account together. */
    static double doorRefusals(String reason) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("voicegate_upstream_door_refusals_total{")
                        && line.contains("reason=\"" + reason + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aSaturatedAccountFailsListCallsFastAsRateLimitedWithoutCallingTwilio() {
        double refusedBefore = doorRefusals("queue_full");
        saturate();

        long started = System.nanoTime();
        String json = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls")
                .then().statusCode(429)
                .header("Retry-After", "1")
                .body("success", equalTo(false))
                .body("error", startsWith("rate_limited: Voicegate's own limit of 4 concurrent Twilio requests "
                        + "for this account is reached and 64 more requests are already waiting"))
                .body("error", containsString("Nothing was sent to Twilio"))
                .extract().asString();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        ContractSchemas.assertValidOutput("list_calls", json);
        assertTrue(tookMs < 1000, "fails at once rather than waiting for a slot, took " + tookMs + " ms");
        assertEquals(refusedBefore + 1, doorRefusals("queue_full"), "counted as a door refusal");

        saturate();
        action("list_calls", listCallsBody())
                .statusCode(200)
                .header("Retry-After", "1")
                .body("success", equalTo(false))
                .body("error", startsWith("rate_limited: "));

        // MCP has no headers for a tool's result: the wait is in the error text.
        saturate();
        McpStreamableTestClient mcp = McpClients.serviceKey();
        try {
            AtomicReference<ToolResponse> refused = new AtomicReference<>();
            mcp.when().toolsCall("list_calls", new JsonObject(listCallsBody()).getMap(), refused::set).thenAssertResults();
            String text = ((TextContent) refused.get().content().get(0)).text();
            assertTrue(refused.get().isError(), text);
            assertTrue(text.startsWith("rate_limited: Voicegate's own limit") && text.contains("Retry after 1 s."), text);
        } finally {
            mcp.disconnect();
        }

        // Our own limit says nothing about Twilio's health: it never opens the breaker.
        for (int i = 0; i < 25; i++) {
            saturate();
            action("list_calls", listCallsBody()).body("error", startsWith("rate_limited: "));
        }
        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState("twilio-list-calls"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void lookupsOfAListCallsUnderWayOvertakeWaitingNewActionsSoItIsNeverPartial() {
        int n = 20;
        List<String> callSids = ListCallsSuite.stubCallsWithRecordings(twilio, n, 2000, 0);

        CompletableFuture<ValidatableResponse> listing = CompletableFuture.supplyAsync(
                () -> action("list_calls", listCallsBody()));
        // While the calls page is in flight, take every other slot and fill the queue of new actions: when the
        // page returns, its slot goes to the longest-waiting new action (no lookup waits yet), so the lookups
        // find every slot taken and queue as follow-ups. (The first request after start-up can be slow to leave.)
        await().atMost(Duration.ofSeconds(30)).until(() -> limiter.inFlight(TestAccounts.ACCOUNT_SID) == 1);
        hold(SLOTS - 1 + QUEUE);
        await().atMost(Duration.ofSeconds(5)).until(() -> heldRunning.get() == SLOTS
                && limiter.queued(TestAccounts.ACCOUNT_SID) > QUEUE - 1);
        // One slot comes free: the lookups take it one after another, ahead of the 63 new actions waiting.
        held.get(0).cancel();

        ValidatableResponse response = listing.join()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(n));
        ContractSchemas.assertValidOutput("list_calls", response.extract().asString());
        List<List<String>> recordings = response.extract().jsonPath().getList("calls.recording_sids");
        for (int i = 0; i < n; i++) {
            assertEquals(List.of(ListCallsSuite.recordingSid(i)), recordings.get(i), callSids.get(i));
        }
        assertEquals(n, lookupsServed().size(), "each lookup sent once: none was refused or retried");
    }

    @Test
    void makeCallOnASaturatedAccountIsRateLimitedAndNeverSent() {
        saturate();

        String json = action("make_call", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\","
                + "\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://e.com/t\"}")
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("rate_limited: Voicegate's own limit of 4 concurrent Twilio requests"))
                .body("error", containsString("The call was not placed"))
                .extract().asString();
        ContractSchemas.assertValidOutput("make_call", json);

        saturate();
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from\":\"+15017122661\",\"url\":\"https://e.com/t\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls")
                .then().statusCode(429)
                .header("Retry-After", "1")
                .body("error", startsWith("rate_limited: "))
                .body("error", containsString("The call was not placed"));

        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState("twilio-create-call"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
