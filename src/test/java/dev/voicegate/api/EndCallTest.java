package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.StatusEvent;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * end_call against WireMock: for each status exactly the update Twilio receives ({@code Status=canceled} or
 * {@code completed}, once) or none for a call already over, the 21220 and changed-status races, an unknown call,
 * the {@code end-call} rule (own calls, another key's, unknown calls, {@code end-any-call}, operators), the REST
 * route and MCP, outputs valid against the contract, and the ledger's {@code update} event with the key that asked.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class EndCallTest {

    static final String OWNER = "outbound";
    static final String TO = "+14155551212";

    @Inject
    Ledger ledger;

    @InjectWireMock
    WireMockServer twilio;

    static boolean warm;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        if (!warm) {
            // The first Twilio request of a fresh JVM can outlast the test timeout and be retried, which would
            // consume a step of the scenarios below; one end_call first keeps them exact.
            String sid = TwilioCalls.newSid();
            twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "completed"))));
            end("ender", sid);
            twilio.resetAll();
            warm = true;
        }
    }

    // ------------------------------------------------------------------ helpers

    static String path(String sid) {
        return ACCOUNT + "/Calls/" + sid + ".json";
    }

    /** A call placed by {@code key} on {@code account}, as the ledger records make_call's; its SID. */
    String placed(String key, String account) {
        String id = UUID.randomUUID().toString();
        String sid = TwilioCalls.newSid();
        ledger.attempted(new CallAttempt(id, account, key, "rest", TO, GuardedKeys.OUTBOUND_FROM,
                "https://example.com/twiml", null, null, "req-" + id, "trace-" + id, Instant.now(), false, null));
        ledger.outcome(id, sid, LedgerEntry.PLACED);
        return sid;
    }

    static String arguments(String sid) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"call_sid\":\"" + sid + "\"}";
    }

    /** end_call as a tool call with a named key; the envelope, checked against the contract. */
    static JsonPath end(String key, String sid) {
        Response response = given().header("Authorization", GuardedKeys.bearer(key)).contentType(ContentType.JSON)
                .body(arguments(sid)).post("/v1/actions/end_call");
        assertEquals(200, response.statusCode(), response.asString());
        ContractSchemas.assertValidOutput("end_call", response.asString());
        return response.jsonPath();
    }

    void verifyUpdates(String sid, String... statuses) {
        twilio.verify(statuses.length, postRequestedFor(urlEqualTo(path(sid))));
        for (String status : statuses) {
            twilio.verify(1, postRequestedFor(urlEqualTo(path(sid))).withRequestBody(equalTo("Status=" + status))
                    .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing(
                            "application/x-www-form-urlencoded")));
        }
    }

    /** Waits for the ledger's update event of {@code key} with {@code status}. */
    void awaitUpdateEvent(String sid, String key, String status) {
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.find(sid).await().atMost(Duration.ofSeconds(5))
                .map(entry -> entry.events().stream().anyMatch(event -> event.source() == StatusEvent.Source.UPDATE
                        && key.equals(event.key()) && status.equals(event.status())))
                .orElse(false));
    }

    // ------------------------------------------------------------------ Twilio semantics

    @ParameterizedTest
    @CsvSource({ "queued,canceled", "ringing,canceled", "in-progress,completed" })
    void aLiveCallGetsExactlyOneUpdateWithTheValueForItsStatus(String status, String sent) {
        String sid = placed(OWNER, TestAccounts.ACCOUNT_SID);
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, status))));
        twilio.stubFor(post(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, sent))));

        JsonPath answer = end(OWNER, sid);

        assertEquals(true, answer.getBoolean("success"));
        assertEquals(true, answer.getBoolean("ended_by_this_request"));
        assertEquals(sent, answer.getString("status"));
        assertEquals(true, answer.getBoolean("final"));
        assertEquals(sid, answer.getString("call_sid"));
        assertEquals(TO, answer.getString("to"));
        assertEquals(null, answer.getString("error"));
        assertTrue(!answer.getMap("$").containsKey("recording_sids"), answer.prettify());
        twilio.verify(1, getRequestedFor(urlEqualTo(path(sid))));
        verifyUpdates(sid, sent);
        awaitUpdateEvent(sid, OWNER, sent);
    }

    @ParameterizedTest
    @ValueSource(strings = { "completed", "busy", "no-answer", "failed", "canceled" })
    void aCallAlreadyOverIsLeftAloneAndIsASuccess(String status) {
        String sid = placed(OWNER, TestAccounts.ACCOUNT_SID);
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, status))));

        JsonPath answer = end(OWNER, sid);

        assertEquals(true, answer.getBoolean("success"));
        assertEquals(false, answer.getBoolean("ended_by_this_request"));
        assertEquals(status, answer.getString("status"));
        assertEquals(true, answer.getBoolean("final"));
        verifyUpdates(sid);
        awaitUpdateEvent(sid, OWNER, status);
    }

    @Test
    void twilio21220MeansTheCallEndedMeanwhile() {
        String sid = placed(OWNER, TestAccounts.ACCOUNT_SID);
        TwilioStubs.inTurn(twilio, () -> get(urlEqualTo(path(sid))), json(TwilioCalls.call(sid, TO, "in-progress")),
                json(TwilioCalls.call(sid, TO, "completed")));
        twilio.stubFor(post(urlEqualTo(path(sid))).willReturn(json(400, "{\"code\":21220,\"message\":\"Call is not "
                + "in-progress. Cannot redirect.\",\"more_info\":\"https://www.twilio.com/docs/errors/21220\","
                + "\"status\":400}")));

        JsonPath answer = end(OWNER, sid);

        assertEquals(true, answer.getBoolean("success"));
        assertEquals(false, answer.getBoolean("ended_by_this_request"));
        assertEquals("completed", answer.getString("status"));
        verifyUpdates(sid, "completed");
        twilio.verify(2, getRequestedFor(urlEqualTo(path(sid))));
        awaitUpdateEvent(sid, OWNER, "completed");
    }

    @Test
    void aCallAnsweredBetweenTheFetchAndTheCancelIsCompletedOnce() {
        String sid = placed(OWNER, TestAccounts.ACCOUNT_SID);
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "ringing"))));
        // canceled does not touch a call in progress: Twilio answers with the call, still in progress.
        twilio.stubFor(post(urlEqualTo(path(sid))).withRequestBody(equalTo("Status=canceled"))
                .willReturn(json(TwilioCalls.call(sid, TO, "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path(sid))).withRequestBody(equalTo("Status=completed"))
                .willReturn(json(TwilioCalls.call(sid, TO, "completed"))));

        JsonPath answer = end(OWNER, sid);

        assertEquals(true, answer.getBoolean("ended_by_this_request"));
        assertEquals("completed", answer.getString("status"));
        verifyUpdates(sid, "canceled", "completed");
        twilio.verify(1, getRequestedFor(urlEqualTo(path(sid))));
    }

    @Test
    void anUpdateThatFailsWithA5xxIsRetriedAsAReadIs() {
        String sid = placed(OWNER, TestAccounts.ACCOUNT_SID);
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "in-progress"))));
        TwilioStubs.inTurn(twilio, () -> post(urlEqualTo(path(sid))), fixture(500, "error-20500.json"),
                json(TwilioCalls.call(sid, TO, "completed")));

        JsonPath answer = end(OWNER, sid);

        assertEquals(true, answer.getBoolean("ended_by_this_request"));
        assertEquals("completed", answer.getString("status"));
        twilio.verify(2, postRequestedFor(urlEqualTo(path(sid))).withRequestBody(equalTo("Status=completed")));
    }

    @Test
    void anUnknownCallIsNotFoundAndNothingIsUpdated() {
        String sid = TwilioCalls.newSid();
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(fixture(404, "error-20404.json")));

        Response response = given().header("Authorization", GuardedKeys.bearer("ender"))
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + sid + "/end");

        assertEquals(404, response.statusCode(), response.asString());
        assertTrue(response.jsonPath().getString("error").startsWith("not_found: "), response.asString());
        assertEquals(false, response.jsonPath().getBoolean("success"));
        ContractSchemas.assertValidOutput("end_call", response.asString());
        verifyUpdates(sid);
    }

    // ------------------------------------------------------------------ the end-call rule

    @Test
    void anotherKeysCallIsForbiddenWithAnAuditLineAndNothingSent() {
        String sid = placed("uk", TestAccounts.ACCOUNT_SID);
        try (LogCapture logs = LogCapture.install()) {
            JsonPath answer = given().header("Authorization", GuardedKeys.bearer(OWNER)).contentType(ContentType.JSON)
                    .body(arguments(sid)).post("/v1/actions/end_call").then().statusCode(200).extract().jsonPath();

            String error = answer.getString("error");
            assertTrue(error.startsWith("forbidden: key 'outbound' may end only the calls it placed itself"), error);
            assertTrue(error.contains("(rule 'end-call'). To change it, set "
                    + "voicegate.access.keys.outbound.end-any-call=true, or use an operator key."), error);
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(1, audit.size(), String.join("\n", logs.lines()));
            assertTrue(audit.get(0).contains("{\"audit\":true,\"action\":\"end_call\",\"key\":\"outbound\",\"target\":"
                    + "\"call " + sid + " on account " + TestAccounts.ACCOUNT_SID + "\",\"decision\":\"deny\","
                    + "\"rule\":\"end-call\"}"), audit.get(0));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aCallTheLedgerDoesNotKnowIsForbiddenForAnOrdinaryKey() {
        String sid = TwilioCalls.newSid();
        Response response = given().header("Authorization", GuardedKeys.bearer(OWNER))
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + sid + "/end");

        assertEquals(403, response.statusCode(), response.asString());
        assertTrue(response.jsonPath().getString("error").contains("the call ledger has no call " + sid),
                response.asString());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aCallPlacedOnAnotherAccountIsNotTheKeysOwnHere() {
        String sid = placed(OWNER, GuardedKeys.SECOND_ACCOUNT_SID);
        Response response = given().header("Authorization", GuardedKeys.bearer(OWNER))
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + sid + "/end");

        assertEquals(403, response.statusCode(), response.asString());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "ender", "operator-ender" })
    void endAnyCallKeysAndOperatorsEndAnotherKeysCall(String key) {
        String sid = placed("uk", TestAccounts.ACCOUNT_SID);
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "completed"))));

        JsonPath answer = end(key, sid);

        assertEquals(true, answer.getBoolean("ended_by_this_request"));
        verifyUpdates(sid, "completed");
        awaitUpdateEvent(sid, key, "completed");
    }

    @Test
    void anOperatorWhoseActionsDoNotListEndCallRunsNone() {
        String sid = placed("uk", TestAccounts.ACCOUNT_SID);
        Response response = given().header("Authorization", GuardedKeys.bearer("operator"))
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + sid + "/end");

        assertEquals(403, response.statusCode(), response.asString());
        assertTrue(response.jsonPath().getString("error").contains("(rule 'role')"), response.asString());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    // ------------------------------------------------------------------ surfaces

    @Test
    void restEndsTheCallWith200AndRefusesQueryParameters() {
        String sid = placed(OWNER, TestAccounts.ACCOUNT_SID);
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "ringing"))));
        twilio.stubFor(post(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "canceled"))));
        String end = "/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + sid + "/end";

        Response refused = given().header("Authorization", GuardedKeys.bearer(OWNER)).post(end + "?force=true");
        assertEquals(400, refused.statusCode(), refused.asString());
        twilio.verify(0, anyRequestedFor(anyUrl()));

        Response response = given().header("Authorization", GuardedKeys.bearer(OWNER)).post(end);
        assertEquals(200, response.statusCode(), response.asString());
        ContractSchemas.assertValidOutput("end_call", response.asString());
        assertEquals(true, response.jsonPath().getBoolean("ended_by_this_request"));
        assertEquals("canceled", response.jsonPath().getString("status"));
        verifyUpdates(sid, "canceled");
    }

    @Test
    void mcpEndsTheCall() {
        String sid = placed(OWNER, TestAccounts.ACCOUNT_SID);
        twilio.stubFor(get(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path(sid))).willReturn(json(TwilioCalls.call(sid, TO, "completed"))));

        JsonObject answer = McpClients.messages(McpClients.request(GuardedKeys.bearer(OWNER))
                .body(McpClients.toolsCall(7, "end_call", arguments(sid))).post("/mcp")).get(0);

        JsonObject result = answer.getJsonObject("result");
        assertEquals(false, result.getBoolean("isError", false), answer.encode());
        JsonObject envelope = result.getJsonObject("structuredContent");
        ContractSchemas.assertValidOutput("end_call", envelope.encode());
        assertEquals(true, envelope.getBoolean("ended_by_this_request"));
        verifyUpdates(sid, "completed");
    }

    @Test
    void mcpListsEndCallAsDestructiveAndIdempotent() {
        JsonObject tools = McpClients.messages(McpClients.request(GuardedKeys.bearer(OWNER))
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp")).get(0);
        JsonObject endCall = tools.getJsonObject("result").getJsonArray("tools").stream().map(JsonObject.class::cast)
                .filter(tool -> tool.getString("name").equals("end_call")).findFirst().orElseThrow();
        JsonObject hints = endCall.getJsonObject("annotations");
        assertEquals(false, hints.getBoolean("readOnlyHint"), hints.encode());
        assertEquals(true, hints.getBoolean("destructiveHint"), hints.encode());
        assertEquals(true, hints.getBoolean("idempotentHint"), hints.encode());
    }
}
