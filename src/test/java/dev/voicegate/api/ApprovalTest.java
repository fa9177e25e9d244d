package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
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
 * Approval before dialing without MCP elicitation: pending_approval (tool call 200, REST 202) with nothing sent,
 * an operator's approval then exactly one call on the retry and replays after it, a denial (forbidden, rule
 * approval), the idempotency key it requires, the binding to the request's parameters, {@code new-numbers} by the
 * ledger, and the operator-only admin endpoints with their audit lines.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ApprovalTest {

    static final String ALWAYS = "approval-always";
    static final String NEW_NUMBERS = "approval-new";
    static final Pattern APPROVAL_ID = Pattern.compile("approval_id (AP[0-9a-f]{32})");

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    Ledger ledger;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
    }

    static String body(String to, String idempotencyKey) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"" + to + "\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\"" + (idempotencyKey == null ? "" : ",\"idempotency_key\":\""
                + idempotencyKey + "\"") + "}";
    }

    /** make_call as a tool call; always 200, the output valid against the contract. */
    static Response makeCall(String key, String body) {
        Response response = given().header("Authorization", GuardedKeys.bearer(key)).contentType(ContentType.JSON)
                .body(body).post("/v1/actions/make_call");
        assertEquals(200, response.statusCode(), response.asString());
        ContractSchemas.assertValidOutput("make_call", response.asString());
        return response;
    }

    static String pendingId(Response response) {
        String error = response.jsonPath().getString("error");
        assertTrue(error.startsWith("pending_approval: approval_id AP"), error);
        Matcher id = APPROVAL_ID.matcher(error);
        assertTrue(id.find(), error);
        return id.group(1);
    }

    static Response decide(String key, String id, String decision) {
        return given().header("Authorization", GuardedKeys.bearer(key)).post("/v1/admin/approvals/" + id + "/" + decision);
    }

    static String newKey() {
        return "task-" + UUID.randomUUID();
    }

    @Test
    void pendingThenApprovedPlacesTheCallOnceOnTheRetryAndReplaysAfter() {
        String key = newKey();
        String id = pendingId(makeCall(ALWAYS, body("+14155551212", key)));
        assertEquals(id, pendingId(makeCall(ALWAYS, body("+14155551212", key))), "the same approval while pending");
        twilio.verify(0, anyRequestedFor(anyUrl()));

        JsonPath listed = given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/approvals")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("pending", listed.getString("approvals.find { it.approval_id == '" + id + "' }.state"));
        assertEquals(ALWAYS, listed.getString("approvals.find { it.approval_id == '" + id + "' }.key"));

        try (LogCapture logs = LogCapture.install()) {
            JsonPath approved = decide("operator", id, "approve").then().statusCode(200).extract().jsonPath();
            assertEquals("approved", approved.getString("approval.state"));
            assertEquals("operator", approved.getString("approval.decided_by"));
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("\"action\":\"approve_call\",\"key\":\"operator\"")
                    && line.contains(id) && !line.contains("4155551212")), String.join("\n", logs.lines()));
        }
        decide("operator", id, "approve").then().statusCode(200); // the same decision again: harmless

        Response placed = makeCall(ALWAYS, body("+14155551212", key));
        assertEquals(true, placed.jsonPath().getBoolean("success"), placed.asString());
        assertEquals("CAc0ffee00c0ffee00c0ffee00c0ffee00", placed.jsonPath().getString("call_sid"));
        Response replayed = makeCall(ALWAYS, body("+14155551212", key));
        assertEquals("true", replayed.header(Responses.IDEMPOTENT_REPLAYED));
        assertEquals("CAc0ffee00c0ffee00c0ffee00c0ffee00", replayed.jsonPath().getString("call_sid"));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void restAnswers202AndTheApprovalIsBoundToTheParameters() {
        String key = newKey();
        Response response = given().header("Authorization", GuardedKeys.bearer(ALWAYS)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body("+14155551212", null))
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls");
        assertEquals(202, response.statusCode(), response.asString());
        assertEquals(false, response.jsonPath().getBoolean("success"));
        String id = pendingId(response);

        // Same idempotency key, another number: refused, as a reused idempotency key is.
        Response other = makeCall(ALWAYS, body("+14155550000", key));
        assertTrue(other.jsonPath().getString("error").startsWith("invalid_request: 'idempotency_key' was already used"),
                other.asString());
        decide("operator", id, "approve").then().statusCode(200);
        other = makeCall(ALWAYS, body("+14155550000", key));
        assertTrue(other.jsonPath().getString("error").startsWith("invalid_request:"), other.asString());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void deniedIsForbiddenAndNothingIsSent() {
        String key = newKey();
        String id = pendingId(makeCall(ALWAYS, body("+14155551212", key)));
        JsonPath denied = decide("operator", id, "deny").then().statusCode(200).extract().jsonPath();
        assertEquals("denied", denied.getString("approval.state"));
        for (int i = 0; i < 2; i++) {
            String error = makeCall(ALWAYS, body("+14155551212", key)).jsonPath().getString("error");
            assertTrue(error.startsWith("forbidden: an operator (key 'operator') denied this call (approval_id " + id
                    + ") (rule 'approval')"), error);
        }
        Response late = decide("operator", id, "approve");
        assertEquals(409, late.statusCode(), late.asString());
        assertTrue(late.jsonPath().getString("error").startsWith("invalid_request: approval " + id + " was already denied"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void withoutAnIdempotencyKeyTheRequestIsInvalidAndSaysWhy() {
        String error = makeCall(ALWAYS, body("+14155551212", null)).jsonPath().getString("error");
        assertEquals("invalid_request: calls of key 'approval-always' need an operator's approval "
                + "(voicegate.access.keys.approval-always.approval), which requires an 'idempotency_key': send the "
                + "request with one, then repeat it with the same key once approved. Fix the request; retrying it as is "
                + "will not help.", error);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void newNumbersNeedApprovalOnlyForNumbersTheKeyHasNotCalled() {
        String called = "+1415555" + (1000 + (int) (Math.random() * 8999));
        String id = UUID.randomUUID().toString();
        ledger.attempted(new CallAttempt(id, TestAccounts.ACCOUNT_SID, NEW_NUMBERS, "rest", called, "+15017122661",
                "https://example.com/twiml", null, null, "req-" + id, "trace-" + id, Instant.now(), false, null));
        ledger.outcome(id, TwilioCalls.newSid(), LedgerEntry.PLACED);

        Response placed = makeCall(NEW_NUMBERS, body(called, null));
        assertEquals(true, placed.jsonPath().getBoolean("success"), placed.asString());
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));

        // Another key's calls do not count, nor do another number's.
        pendingId(makeCall(NEW_NUMBERS, body("+14155550101", newKey())));
        pendingId(makeCall(ALWAYS, body(called, newKey())));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void onlyOperatorsSeeAndDecideApprovals() {
        String id = pendingId(makeCall(ALWAYS, body("+14155551212", newKey())));
        try (LogCapture logs = LogCapture.install()) {
            for (Response response : List.of(decide(ALWAYS, id, "approve"), decide(ALWAYS, id, "deny"),
                    given().header("Authorization", GuardedKeys.bearer(ALWAYS)).get("/v1/admin/approvals"))) {
                assertEquals(403, response.statusCode(), response.asString());
                assertTrue(response.jsonPath().getString("error").startsWith("forbidden: only operator keys may"));
                assertTrue(response.jsonPath().getString("error").contains("(rule 'role')"));
            }
            assertEquals(3, logs.lines().stream().filter(line -> line.contains("\"key\":\"approval-always\"")
                    && line.contains("\"decision\":\"deny\",\"rule\":\"role\"")).count(), String.join("\n", logs.lines()));
        }
        decide("operator", "AP" + "0".repeat(32), "approve").then().statusCode(404);
        decide("operator", "not-an-id", "deny").then().statusCode(400);
        given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/approvals?x=1").then().statusCode(400);
        // Still pending: the agent's refused decisions changed nothing.
        JsonPath listed = given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/approvals")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("pending", listed.getString("approvals.find { it.approval_id == '" + id + "' }.state"));
        assertNull(listed.getString("approvals.find { it.approval_id == '" + id + "' }.decided_by"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void hostileApprovalIdsCostNothingAndNeverFail() {
        for (String id : List.of("AP" + "0".repeat(31) + "G", "ap" + "0".repeat(32), "AP" + "0".repeat(33), "..",
                "%2e%2e", "AP%00" + "0".repeat(30), "a".repeat(3000), "%E2%80%AE" + "0".repeat(32), "AP%0D%0A",
                "'%20OR%201=1", "*")) {
            for (String decision : List.of("approve", "deny")) {
                Response response = decide("operator", id, decision);
                assertTrue(response.statusCode() == 400 || response.statusCode() == 404, id + ": " + response.asString());
                assertEquals(false, response.jsonPath().getBoolean("success"), id);
            }
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    /** MCP without elicitation (this build asks no client): an isError result whose envelope names the approval. */
    @Test
    void overMcpPendingApprovalIsAnErrorResultWithTheEnvelope() {
        String key = newKey();
        JsonObject answer = McpClients.messages(McpClients.request(GuardedKeys.bearer(ALWAYS))
                .body(McpClients.toolsCall(3, "make_call", body("+14155551212", key))).post("/mcp")).get(0);
        JsonObject result = answer.getJsonObject("result");
        assertEquals(true, result.getBoolean("isError"), answer.encode());
        JsonObject envelope = result.getJsonObject("structuredContent");
        ContractSchemas.assertValidOutput("make_call", envelope.encode());
        assertTrue(envelope.getString("error").startsWith("pending_approval: approval_id AP"), envelope.encode());
        assertEquals(envelope.getString("error"), result.getJsonArray("content").getJsonObject(0).getString("text"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
