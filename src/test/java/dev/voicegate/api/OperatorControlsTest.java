package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The operator controls as ledger events ({@code GET /v1/ledger/controls}, memory ledger): suspend, resume, end-all,
 * approval decisions and do-not-call changes each leave one, newest first and paged, numbers masked; only operators
 * read them. And {@code GET /v1/admin/keys}: quota use read without taking anything, and recent denials per key.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class OperatorControlsTest {

    static final String OPERATOR = GuardedKeys.bearer("operator");
    static final Set<String> CONTROL_FIELDS = Set.of("at", "action", "operator", "target", "reason", "result");

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
    }

    static Response controls(String query) {
        return given().header("Authorization", OPERATOR).get("/v1/ledger/controls" + query);
    }

    /** The newest control event. */
    static Map<String, Object> newest() {
        JsonPath page = controls("?page_size=1").then().statusCode(200).extract().jsonPath();
        return page.getMap("controls[0]");
    }

    static void operatorPost(String path, String body) {
        var request = given().header("Authorization", OPERATOR);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        request.post(path).then().statusCode(200);
    }

    @Test
    void theKillSwitchAndEndAllAreLedgerEvents() {
        operatorPost("/v1/admin/keys/runaway/suspend", "{\"reason\":\"looping on +14155550000\"}");
        Map<String, Object> suspended = newest();
        assertEquals(CONTROL_FIELDS, suspended.keySet());
        assertEquals("suspend_key", suspended.get("action"));
        assertEquals("operator", suspended.get("operator"));
        assertEquals("runaway", suspended.get("target"));
        assertEquals("looping on ***0000", suspended.get("reason"));
        assertEquals("suspended", suspended.get("result"));
        assertTrue(((String) suspended.get("at")).endsWith("Z"), suspended.toString());

        operatorPost("/v1/admin/keys/runaway/resume", null);
        assertEquals(List.of("resume_key", "runaway", "resumed"), fields(newest(), "action", "target", "result"));
        operatorPost("/v1/admin/keys/runaway/resume", null);
        assertEquals("was not suspended", newest().get("result"));

        operatorPost("/v1/admin/calls/end-all?account_sid=" + TestAccounts.ACCOUNT_SID, null);
        Map<String, Object> endAll = newest();
        assertEquals(List.of("end_all_calls", TestAccounts.ACCOUNT_SID), fields(endAll, "action", "target"));
        assertTrue(((String) endAll.get("result")).startsWith("ended "), endAll.toString());
    }

    @Test
    void approvalDecisionsAndDoNotCallChangesAreLedgerEventsWithTheNumberMasked() {
        String key = "task-" + UUID.randomUUID();
        String id = ApprovalTest.pendingId(ApprovalTest.makeCall("approval-always", ApprovalTest.body("+14155551212", key)));
        operatorPost("/v1/admin/approvals/" + id + "/approve", null);
        assertEquals(List.of("approve_call", id, "approved"), fields(newest(), "action", "target", "result"));
        given().header("Authorization", OPERATOR).post("/v1/admin/approvals/" + id + "/deny").then().statusCode(409);
        assertEquals(List.of("deny_call", id, "failed: invalid_request"), fields(newest(), "action", "target", "result"));

        String number = "+1415555" + String.format("%04d", (int) (Math.random() * 10_000));
        String masked = "***" + number.substring(number.length() - 4);
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"asked by " + number + "\"}")
                .put("/v1/admin/do-not-call/" + number).then().statusCode(200);
        assertEquals(List.of("add_do_not_call", masked, "asked by " + masked, "added"),
                fields(newest(), "action", "target", "reason", "result"));
        given().header("Authorization", OPERATOR).delete("/v1/admin/do-not-call/" + number).then().statusCode(200);
        assertEquals(List.of("remove_do_not_call", masked, "removed"), fields(newest(), "action", "target", "result"));
        String all = controls("?page_size=200").then().statusCode(200).extract().asString();
        assertFalse(all.contains(number.substring(2)), "the do-not-call list never appears in clear");
    }

    @Test
    void controlsArePagedNewestFirstAndOnlyOperatorsReadThem() {
        for (int i = 0; i < 4; i++) {
            operatorPost("/v1/admin/keys/runaway/resume", null);
        }
        Response first = controls("?page_size=2");
        first.then().statusCode(200).body("success", equalTo(true)).body("error", equalTo(null));
        assertEquals(Set.of("success", "error", "controls", "next_page_token"), first.jsonPath().getMap("$").keySet());
        String token = first.jsonPath().getString("next_page_token");
        assertNotNull(token);
        assertEquals(token, first.header(Responses.NEXT_PAGE_TOKEN));
        assertTrue(first.header(ApiOutcomes.LINK).contains("page_token=" + token), first.header(ApiOutcomes.LINK));
        Response second = controls("?page_size=2&page_token=" + token);
        second.then().statusCode(200);
        assertEquals(2, second.jsonPath().getList("controls").size());
        assertFalse(at(first, 1).isBefore(at(second, 0)), "newest first across pages");

        controls("?page_token=bm9wZQ").then().statusCode(400).body("error", startsWith("invalid_request: 'page_token'"));
        controls("?page_size=0").then().statusCode(400).body("error", startsWith("invalid_request:"));
        controls("?status=x").then().statusCode(400).body("error", startsWith("invalid_request:"));

        try (LogCapture logs = LogCapture.install()) {
            given().header("Authorization", GuardedKeys.bearer("outbound")).get("/v1/ledger/controls").then().statusCode(403)
                    .body("error", startsWith("forbidden:"));
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("\"action\":\"list_ledger_controls\",\"key\":"
                    + "\"outbound\"") && line.contains("\"decision\":\"deny\",\"rule\":\"role\"")), String.join("\n", logs.lines()));
        }
        JsonPath documented = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertNotNull(documented.get("paths.'/v1/ledger/controls'.get"));
    }

    @Test
    void theKeyListShowsQuotaUseWithoutTakingAnyAndRecentDenials() {
        Map<String, Object> before = key("outbound");
        assertEquals(before.get("quota_use"), key("outbound").get("quota_use"), "reading the use takes nothing");
        @SuppressWarnings("unchecked")
        Map<String, Object> hour = ((List<Map<String, Object>>) before.get("quota_use")).get(0);
        assertEquals(List.of("calls-per-hour", 30), List.of(hour.get("window"), hour.get("limit")));
        given().header("Authorization", GuardedKeys.bearer("outbound")).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"" + GuardedKeys.OUTBOUND_FROM + "\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(201);
        assertEquals((Integer) hour.get("used") + 1, usedPerHour(key("outbound")));
        assertEquals(List.of(), key("uk").get("quota_use"), "a key without quotas");

        given().header("Authorization", GuardedKeys.bearer("reporting")).contentType(ContentType.JSON)
                .body(ApprovalTest.body("+14155551212", null)).post("/v1/actions/make_call").then().statusCode(200)
                .body("error", startsWith("forbidden:"));
        Map<String, Object> denials = map(key("reporting").get("recent_denials"));
        assertEquals(Set.of("last_hour", "latest"), denials.keySet());
        assertTrue(((Integer) map(denials.get("last_hour")).get("actions")) >= 1, denials.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> latest = ((List<Map<String, Object>>) denials.get("latest")).get(0);
        assertEquals(Set.of("at", "rule", "action"), latest.keySet());
        assertEquals(List.of("actions", "make_call"), fields(latest, "rule", "action"));
        assertFalse(given().header("Authorization", OPERATOR).get("/v1/admin/keys").asString().contains("4155551212"));
    }

    static Map<String, Object> key(String name) {
        return given().header("Authorization", OPERATOR).get("/v1/admin/keys").then().statusCode(200).extract()
                .jsonPath().getMap("keys.find { it.name == '" + name + "' }");
    }

    @SuppressWarnings("unchecked")
    static int usedPerHour(Map<String, Object> key) {
        return (Integer) ((List<Map<String, Object>>) key.get("quota_use")).get(0).get("used");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    static List<Object> fields(Map<String, Object> map, String... names) {
        return java.util.Arrays.stream(names).map(map::get).toList();
    }

    static Instant at(Response page, int index) {
        return Instant.parse(page.jsonPath().getString("controls[" + index + "].at"));
    }
}
