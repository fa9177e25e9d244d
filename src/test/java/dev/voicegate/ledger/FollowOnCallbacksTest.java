package dev.voicegate.ledger;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.voicegate.testing.CallbacksOn;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * With PUBLIC_URL set: make_call asks Twilio for callbacks (and keeps the caller's own for the relay), its entry is
 * in the ledger with its key, and get_call follows the call on the ledger's events instead of polling.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(CallbacksOn.class)
class FollowOnCallbacksTest {

    static final String TO = "+14155551212";

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    Ledger ledger;

    String sid;

    @BeforeEach
    void aCallToPlace() {
        TwilioStubs.reset(twilio);
        sid = TwilioCalls.newSid();
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(TwilioCalls.created(sid, TO)));
    }

    @Test
    void makeCallAsksTwilioForEveryEventAsRepeatedKeys() {
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).header("X-Request-Id", "req-" + sid)
                .contentType(ContentType.JSON).body("{\"to\":\"" + TO + "\",\"from_\":\"+15017122661\","
                        + "\"url\":\"https://example.com/twiml\",\"record\":true,"
                        + "\"status_callback\":\"https://hooks.example.com/status\",\"status_callback_method\":\"GET\","
                        + "\"recording_status_callback\":\"https://hooks.example.com/recording\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(201);

        LoggedRequest sent = twilio.findAll(postRequestedFor(urlEqualTo(CALLS))).get(0);
        assertEquals(List.of(CallbacksOn.PUBLIC_URL + "/twilio/callbacks/status"), form(sent, "StatusCallback"));
        assertEquals(List.of("POST"), form(sent, "StatusCallbackMethod"));
        assertEquals(List.of("initiated", "ringing", "answered", "completed"), form(sent, "StatusCallbackEvent"));
        assertEquals(List.of(CallbacksOn.PUBLIC_URL + "/twilio/callbacks/recording"), form(sent, "RecordingStatusCallback"));
        assertTrue(!sent.getBodyAsString().contains("hooks.example.com"), "the caller's callbacks are relayed, not sent");

        LedgerEntry entry = await().until(() -> ledger.find(sid).await().indefinitely(), found -> found.isPresent()).get();
        CallAttempt attempt = entry.attempt();
        assertEquals(LedgerEntry.PLACED, entry.outcome());
        assertTrue(attempt.callbacks());
        assertEquals(new CallAttempt.Relay("https://hooks.example.com/status", "GET", "https://hooks.example.com/recording"),
                attempt.relay());
        assertEquals("rest", attempt.surface());
        assertEquals(TO, attempt.to());
        assertEquals("req-" + sid, attempt.requestId());
    }

    @Test
    void passThroughCredentialsGetNoCallbacks() {
        String basic = TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN);
        twilio.stubFor(post(urlEqualTo("/2010-04-01/Accounts/" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "/Calls.json"))
                .willReturn(TwilioCalls.created(sid, TO)));
        given().header("Authorization", basic).contentType(ContentType.JSON)
                .body("{\"to\":\"" + TO + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\","
                        + "\"status_callback\":\"https://hooks.example.com/status\"}")
                .post("/v1/accounts/" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "/calls").then().statusCode(201);
        LoggedRequest sent = twilio.findAll(postRequestedFor(urlPathEqualTo(
                "/2010-04-01/Accounts/" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "/Calls.json"))).get(0);
        assertEquals(List.of("https://hooks.example.com/status"), form(sent, "StatusCallback"));
        assertEquals(List.of(), form(sent, "StatusCallbackEvent"));
        LedgerEntry entry = await().until(() -> ledger.find(sid).await().indefinitely(), found -> found.isPresent()).get();
        assertEquals("pass-through", entry.attempt().key());
        assertTrue(!entry.attempt().callbacks());
        assertNull(entry.attempt().relay());
    }

    @Test
    void getCallWakesOnTheCompletedEventAndFetchesOnceMore() {
        place();
        // Twilio's resource lags: it still shows the call live. Only the callback says it is over.
        twilio.stubFor(get(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .willReturn(TwilioStubs.json(TwilioCalls.call(sid, TO, "in-progress"))));
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> getCall(20));
        await().until(() -> twilio.countRequestsMatching(getRequestedFor(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .build()).getCount() >= 1);
        ledger.event(sid, new StatusEvent("completed", Instant.now(), 3, StatusEvent.Source.CALLBACK, null))
                .await().indefinitely();

        Response response = answer.join();
        response.then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("completed"));
        ContractSchemas.assertValidOutput("get_call", response.asString());
        // The first fetch and the last one; at most one safety poll between them.
        int fetches = twilio.countRequestsMatching(getRequestedFor(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .build()).getCount();
        assertTrue(fetches >= 2 && fetches <= 3, "fetches: " + fetches);
    }

    @Test
    void aLostCompletedEventIsFoundByTheSafetyPoll() {
        place();
        TwilioStubs.inTurn(twilio, () -> get(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json")),
                TwilioStubs.json(TwilioCalls.call(sid, TO, "in-progress")),
                TwilioStubs.json(TwilioCalls.call(sid, TO, "completed")));
        getCall(20).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("completed"))
                .body("duration", org.hamcrest.Matchers.equalTo(31));
        twilio.verify(2, getRequestedFor(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json")));
        LedgerEntry entry = ledger.find(sid).await().indefinitely().orElseThrow();
        assertEquals("completed", entry.status());
        assertEquals("31", await().until(() -> ledger.find(sid).await().indefinitely().orElseThrow().details(),
                details -> details != null).duration());
    }

    @Test
    void overMcpEachStatusIsAProgressNotification() {
        place();
        twilio.stubFor(get(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .willReturn(TwilioStubs.json(TwilioCalls.call(sid, TO, "ringing"))));
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> McpClients.post(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"get_call\",\"_meta\":"
                        + "{\"progressToken\":\"follow-" + sid + "\"},\"arguments\":{\"account_sid\":\""
                        + TestAccounts.ACCOUNT_SID + "\",\"call_sid\":\"" + sid + "\",\"wait_seconds\":20,\"include_recordings\":false}}}"));
        await().until(() -> twilio.countRequestsMatching(getRequestedFor(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .build()).getCount() >= 1);
        ledger.event(sid, new StatusEvent("in-progress", Instant.now(), 2, StatusEvent.Source.CALLBACK, null)).await().indefinitely();
        await().until(() -> "in-progress".equals(ledger.find(sid).await().indefinitely().orElseThrow().status()));
        ledger.event(sid, new StatusEvent("completed", Instant.now(), 3, StatusEvent.Source.CALLBACK, null)).await().indefinitely();

        List<JsonObject> messages = McpClients.messages(answer.join());
        List<String> progress = messages.stream().filter(m -> "notifications/progress".equals(m.getString("method")))
                .map(m -> m.getJsonObject("params").getString("message")).toList();
        assertTrue(progress.containsAll(List.of("call status: ringing", "call status: completed")), progress::toString);
        JsonObject result = messages.get(messages.size() - 1).getJsonObject("result");
        assertEquals("completed", result.getJsonObject("structuredContent").getString("status"));
    }

    private void place() {
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"" + TO + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(201);
        await().until(() -> ledger.find(sid).await().indefinitely().isPresent());
    }

    private Response getCall(int waitSeconds) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + sid + "?include_recordings=false&wait_seconds=" + waitSeconds);
    }

    /** Every value of one form field, in order. */
    static List<String> form(LoggedRequest request, String name) {
        return java.util.Arrays.stream(request.getBodyAsString().split("&")).filter(p -> p.startsWith(name + "="))
                .map(p -> java.net.URLDecoder.decode(p.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
    }
}
