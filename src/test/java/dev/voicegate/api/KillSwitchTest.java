package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.StatusEvent;
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
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/**
 * The kill switch per key (memory store): a suspended key is refused ({@code forbidden}, rule {@code suspended}, with
 * the reason and the operator key) on REST, tool calls and MCP with no Twilio request, and allowed again once resumed;
 * only operators use the controls; an unknown key is {@code not_found}; {@code end_active_calls} ends exactly the
 * key's live calls; end-all ends an account's live calls.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class KillSwitchTest {

    static final String KEY = "suspendable";
    static final String RUNAWAY = "runaway";
    static final String SUSPENDED_OPERATOR = "operator-suspendable";
    static final String TO = "+14155551212";
    static final String MAKE_CALL = "{\"to\":\"" + TO + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}";

    @Inject
    Ledger ledger;

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    @AfterEach
    void resumeAll() {
        for (String key : List.of(KEY, RUNAWAY, SUSPENDED_OPERATOR)) {
            admin("/v1/admin/keys/" + key + "/resume", null).statusCode(200);
        }
    }

    static ValidatableResponse admin(String path, String body) {
        var request = given().header("Authorization", GuardedKeys.bearer("operator"));
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(path).then();
    }

    static ValidatableResponse restCall(String key) {
        return given().header("Authorization", GuardedKeys.bearer(key)).contentType(ContentType.JSON).body(MAKE_CALL)
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then();
    }

    @Test
    void aSuspendedKeyIsRefusedOnEverySurfaceWithNothingSentAndAllowedOnceResumed() {
        admin("/v1/admin/keys/" + KEY + "/suspend", "{\"reason\":\"looping on +14155550000\"}").statusCode(200)
                .body("key.state", equalTo("suspended")).body("key.suspension.suspended_by", equalTo("operator"))
                .body("key.suspension.reason", containsString("looping on"))
                .body("key.suspension.reason", org.hamcrest.Matchers.not(containsString("4155550000")));

        restCall(KEY).statusCode(403).body("error", containsString("forbidden"))
                .body("error", containsString("rule 'suspended'")).body("error", containsString("operator key 'operator'"))
                .body("error", containsString("looping on"));
        given().header("Authorization", GuardedKeys.bearer(KEY)).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"," + MAKE_CALL.substring(1))
                .post("/v1/actions/make_call").then().statusCode(200).body("success", equalTo(false))
                .body("error", containsString("rule 'suspended'"));
        JsonObject answer = McpClients.messages(McpClients.request(GuardedKeys.bearer(KEY)).body(McpClients.toolsCall(3,
                "list_calls", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"}")).post("/mcp")).get(0);
        assertTrue(answer.encode().contains("rule 'suspended'"), answer.encode());
        twilio.verify(0, anyRequestedFor(anyUrl()));
        // GET /v1/me still answers the suspended key: that is where it learns why.
        given().header("Authorization", GuardedKeys.bearer(KEY)).get("/v1/me").then().statusCode(200)
                .body("state", equalTo("suspended")).body("suspension.suspended_by", equalTo("operator"))
                .body("suspension.reason", containsString("looping on"));

        given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/keys").then().statusCode(200)
                .body("keys.find { it.name == 'suspendable' }.state", equalTo("suspended"))
                .body("keys.find { it.name == 'outbound' }.state", equalTo("active"))
                .body("keys.find { it.name == 'outbound' }.policy.max_calls_per_hour", equalTo(30))
                .body("keys.find { it.name == 'operator' }.role", equalTo("operator"));

        admin("/v1/admin/keys/" + KEY + "/resume", null).statusCode(200).body("key.state", equalTo("active"))
                .body("changed", equalTo(true));
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        restCall(KEY).statusCode(201);
        given().header("Authorization", GuardedKeys.bearer(KEY)).get("/v1/me").then().statusCode(200)
                .body("state", equalTo("active")).body("suspension", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void onlyOperatorsUseTheControls() {
        given().header("Authorization", GuardedKeys.bearer("outbound")).get("/v1/admin/keys").then().statusCode(403)
                .body("error", containsString("rule 'role'"));
        given().header("Authorization", GuardedKeys.bearer("outbound")).post("/v1/admin/keys/" + KEY + "/suspend")
                .then().statusCode(403).body("error", containsString("rule 'role'"));
        given().header("Authorization", GuardedKeys.bearer("outbound"))
                .post("/v1/admin/calls/end-all?account_sid=" + TestAccounts.ACCOUNT_SID).then().statusCode(403);
    }

    /** A suspended operator key reads and controls nothing: the ledger, the controls, approvals, the list. */
    @Test
    void aSuspendedOperatorIsRefusedOnEveryOperatorEndpoint() {
        admin("/v1/admin/keys/" + SUSPENDED_OPERATOR + "/suspend", "{\"reason\":\"lost laptop\"}").statusCode(200);
        for (String path : List.of("/v1/ledger/calls", "/v1/ledger/controls", "/v1/admin/keys", "/v1/admin/approvals",
                "/v1/admin/do-not-call", "/v1/admin/do-not-call/%2B14155550100")) {
            given().header("Authorization", GuardedKeys.bearer(SUSPENDED_OPERATOR)).get(path).then().statusCode(403)
                    .body("error", containsString("rule 'suspended'")).body("error", containsString("lost laptop"));
        }
        given().header("Authorization", GuardedKeys.bearer(SUSPENDED_OPERATOR))
                .post("/v1/admin/keys/" + KEY + "/suspend").then().statusCode(403)
                .body("error", containsString("rule 'suspended'"));
        admin("/v1/admin/keys/" + KEY + "/resume", null).statusCode(200).body("key.state", equalTo("active"));
        admin("/v1/admin/keys/" + SUSPENDED_OPERATOR + "/resume", null).statusCode(200);
        given().header("Authorization", GuardedKeys.bearer(SUSPENDED_OPERATOR)).get("/v1/ledger/calls").then()
                .statusCode(200);
        twilio.verify(0, com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    @Test
    void anUnknownKeyIsNotFoundAndABadBodyIsInvalid() {
        admin("/v1/admin/keys/nobody/suspend", null).statusCode(404).body("error", containsString("not_found"));
        admin("/v1/admin/keys/nobody/resume", null).statusCode(404);
        admin("/v1/admin/keys/" + KEY + "/suspend", "{\"end_active_calls\":\"yes\"}").statusCode(400);
        admin("/v1/admin/keys/" + KEY + "/suspend", "{\"other\":1}").statusCode(400);
        admin("/v1/admin/keys/operator/suspend", null).statusCode(400);
    }

    /** A call placed by {@code key}, as make_call records it, with {@code status} as its last event (null: none). */
    String placed(String key, String status) {
        String id = UUID.randomUUID().toString();
        String sid = TwilioCalls.newSid();
        ledger.attempted(new CallAttempt(id, TestAccounts.ACCOUNT_SID, key, "rest", TO, GuardedKeys.OUTBOUND_FROM,
                "https://example.com/twiml", null, null, "req-" + id, "trace-" + id, Instant.now(), false, null));
        ledger.outcome(id, sid, LedgerEntry.PLACED);
        if (status != null) {
            ledger.event(sid, StatusEvent.update(status, Instant.now(), key)).await().atMost(Duration.ofSeconds(5));
        }
        return sid;
    }

    static String path(String sid) {
        return ACCOUNT + "/Calls/" + sid + ".json";
    }

    @Test
    void endActiveCallsEndsExactlyTheKeysLiveCalls() {
        String ringing = placed(RUNAWAY, "ringing");
        String inProgress = placed(RUNAWAY, null);
        String over = placed(RUNAWAY, "completed");
        String others = placed("outbound", "ringing");
        twilio.stubFor(get(urlEqualTo(path(ringing))).willReturn(json(TwilioCalls.call(ringing, TO, "ringing"))));
        twilio.stubFor(post(urlEqualTo(path(ringing))).willReturn(json(TwilioCalls.call(ringing, TO, "canceled"))));
        twilio.stubFor(get(urlEqualTo(path(inProgress))).willReturn(json(TwilioCalls.call(inProgress, TO, "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path(inProgress))).willReturn(json(TwilioCalls.call(inProgress, TO, "completed"))));

        var answer = admin("/v1/admin/keys/" + RUNAWAY + "/suspend", "{\"end_active_calls\":true}").statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> ended = answer.getList("ended_calls");
        assertEquals(2, ended.size(), ended::toString);
        Map<String, Object> bySid = Map.of((String) ended.get(0).get("call_sid"), ended.get(0),
                (String) ended.get(1).get("call_sid"), ended.get(1));
        assertEquals("canceled", ((Map<?, ?>) bySid.get(ringing)).get("status"));
        assertEquals("completed", ((Map<?, ?>) bySid.get(inProgress)).get("status"));
        assertEquals("success", ((Map<?, ?>) bySid.get(inProgress)).get("outcome"));

        twilio.verify(1, postRequestedFor(urlEqualTo(path(ringing))).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Status=canceled")));
        twilio.verify(1, postRequestedFor(urlEqualTo(path(inProgress))).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Status=completed")));
        twilio.verify(0, anyRequestedFor(urlEqualTo(path(over))));
        twilio.verify(0, anyRequestedFor(urlEqualTo(path(others))));
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.find(ringing).await().atMost(Duration.ofSeconds(5))
                .map(e -> e.events().stream().anyMatch(ev -> ev.source() == StatusEvent.Source.UPDATE
                        && "operator".equals(ev.key()) && "canceled".equals(ev.status()))).orElse(false));
    }

    @Test
    void endAllEndsTheAccountsLiveCalls() {
        String live = placed("outbound", "in-progress");
        String over = placed(RUNAWAY, "busy");
        twilio.stubFor(get(urlEqualTo(path(live))).willReturn(json(TwilioCalls.call(live, TO, "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path(live))).willReturn(json(TwilioCalls.call(live, TO, "completed"))));

        List<Map<String, Object>> ended = admin("/v1/admin/calls/end-all?account_sid=" + TestAccounts.ACCOUNT_SID, null)
                .statusCode(200).body("account_sid", equalTo(TestAccounts.ACCOUNT_SID)).extract().jsonPath()
                .getList("ended_calls");
        Map<String, Object> mine = ended.stream().filter(c -> live.equals(c.get("call_sid"))).findFirst().orElseThrow();
        assertEquals("success", mine.get("outcome"));
        assertEquals(true, mine.get("ended_by_this_request"));
        assertTrue(ended.stream().noneMatch(c -> over.equals(c.get("call_sid"))), ended::toString);
        twilio.verify(1, postRequestedFor(urlEqualTo(path(live))).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Status=completed")));
        twilio.verify(0, anyRequestedFor(urlEqualTo(path(over))));
        admin("/v1/admin/calls/end-all?account_sid=nope", null).statusCode(400);
    }

    @Test
    void eachSwitchAndEachRefusalIsAnAuditLine() {
        try (LogCapture logs = LogCapture.install()) {
            admin("/v1/admin/keys/" + KEY + "/suspend", "{\"reason\":\"test\"}").statusCode(200);
            restCall(KEY).statusCode(403);
            admin("/v1/admin/keys/" + KEY + "/resume", null).statusCode(200);
            given().header("Authorization", GuardedKeys.bearer("outbound")).post("/v1/admin/keys/" + KEY + "/resume")
                    .then().statusCode(403);
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            String all = String.join("\n", audit);
            assertTrue(all.contains("\"action\":\"suspend_key\",\"key\":\"operator\",\"target\":\"" + KEY
                    + "\",\"decision\":\"allow\""), all);
            assertTrue(all.contains("\"action\":\"make_call\",\"key\":\"" + KEY + "\""), all);
            assertTrue(all.contains("\"rule\":\"suspended\""), all);
            assertTrue(all.contains("\"action\":\"resume_key\",\"key\":\"operator\""), all);
            assertTrue(all.contains("\"action\":\"resume_key\",\"key\":\"outbound\",\"target\":null,"
                    + "\"decision\":\"deny\",\"rule\":\"role\""), all);
        }
    }
}
