package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.dnc.DoNotCallStore;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * The do-not-call list (in memory): operators manage it, every other caller is refused with an audit line, and a
 * make_call to a listed number is {@code forbidden} (rule {@code do-not-call}) on every surface and for every caller,
 * with nothing sent to Twilio. Each test lists numbers of its own; no log line holds one in clear.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class DoNotCallApiTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String OPERATOR = GuardedKeys.bearer("operator");
    static final String SERVICE = TestAccounts.bearer(TestAccounts.SERVICE_KEY);
    static final String FROM = "+15017122661";
    static final String PATH = "/v1/admin/do-not-call/";

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void resetTwilio() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
    }

    static RequestSpecification as(String authorization) {
        return given().header("Authorization", authorization).urlEncodingEnabled(true);
    }

    static String makeCall(String to) {
        return "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + to + "\",\"from_\":\"" + FROM
                + "\",\"url\":\"https://example.com/twiml\"}";
    }

    static ValidatableResponse put(String number, String body) {
        RequestSpecification request = as(OPERATOR);
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        return request.put(PATH + "{n}", number).then();
    }

    @Test
    void operatorsAddReadAndRemoveNumbersNormalisedToE164() {
        String number = "+14155550171";
        try (LogCapture logs = LogCapture.install()) {
            put("+1 (415) 555-0171", "{\"reason\":\"asked not to be called again\"}").statusCode(200)
                    .body("success", equalTo(true)).body("error", nullValue()).body("created", equalTo(true))
                    .body("entry.number", equalTo(number)).body("entry.reason", equalTo("asked not to be called again"))
                    .body("entry.added_by", equalTo("operator")).body("entry.added_at", startsWith("20"));
            put(number, null).statusCode(200).body("created", equalTo(false)).body("entry.reason", nullValue());
            as(OPERATOR).get(PATH + "{n}", number).then().statusCode(200).body("entry.number", equalTo(number))
                    .body("entry.added_by", equalTo("operator"));
            as(OPERATOR).delete(PATH + "{n}", number).then().statusCode(200).body("removed", equalTo(true));
            as(OPERATOR).delete(PATH + "{n}", number).then().statusCode(200).body("removed", equalTo(false));
            as(OPERATOR).get(PATH + "{n}", number).then().statusCode(404)
                    .body("error", equalTo("not_found: '***0171' is not on the do-not-call list. Retrying will not help."));

            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(6, audit.size(), String.join("\n", audit));
            assertTrue(audit.get(0).contains("{\"audit\":true,\"action\":\"add_do_not_call\",\"key\":\"operator\","
                    + "\"target\":\"***0171\",\"decision\":\"allow\",\"rule\":null}"), audit.get(0));
            assertFalse(String.join("\n", logs.lines()).contains("5550171"), String.join("\n", logs.lines()));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theListIsPagedInFull() {
        for (int i = 0; i < 5; i++) {
            put("+1212555018" + i, null).statusCode(200);
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            RequestSpecification request = as(OPERATOR).queryParam("page_size", 2);
            if (token != null) {
                request.queryParam("page_token", token);
            }
            JsonPath page = request.get("/v1/admin/do-not-call").then().statusCode(200).body("success", equalTo(true))
                    .extract().jsonPath();
            seen.addAll(page.getList("entries.number"));
            token = page.getString("next_page_token");
            assertTrue(page.getList("entries").size() <= 2);
            pages++;
        } while (token != null && pages < 100);
        for (int i = 0; i < 5; i++) {
            assertTrue(seen.contains("+1212555018" + i), seen.toString());
        }
        assertEquals(seen.size(), seen.stream().distinct().count(), seen.toString());
    }

    @Test
    void agentsAndPassThroughMayNotManageTheList() {
        try (LogCapture logs = LogCapture.install()) {
            as(SERVICE).get("/v1/admin/do-not-call").then().statusCode(403)
                    .body("error", startsWith("forbidden: only operator keys may manage the do-not-call list"));
            as(GuardedKeys.bearer("outbound")).contentType(ContentType.JSON).body("{}")
                    .put(PATH + "{n}", "+14155550172").then().statusCode(403).body("error", containsString("(rule 'role')"));
            as(TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN))
                    .delete(PATH + "{n}", "+14155550172").then().statusCode(403);
            as("Bearer nope").get(PATH + "{n}", "+14155550172").then().statusCode(401);
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(3, audit.size(), String.join("\n", audit));
            assertTrue(audit.get(1).contains("\"action\":\"add_do_not_call\",\"key\":\"outbound\",\"target\":null,"
                    + "\"decision\":\"deny\",\"rule\":\"role\""), audit.get(1));
        }
        as(OPERATOR).get(PATH + "{n}", "+14155550172").then().statusCode(404);
    }

    @Test
    void aListedNumberIsRefusedOnEverySurfaceForEveryCallerWithNothingSent() {
        String number = "+14155550173";
        put(number, "{\"reason\":\"complaint\"}").statusCode(200);
        String expected = "forbidden: 'to' ***0173 is on the do-not-call list (rule 'do-not-call'); nothing was sent to "
                + "Twilio. An operator may remove it with DELETE /v1/admin/do-not-call/{number}. Retrying will not help.";
        try (LogCapture logs = LogCapture.install()) {
            for (String caller : List.of(SERVICE, GuardedKeys.bearer("outbound"), GuardedKeys.bearer("minute"))) {
                given().header("Authorization", caller).contentType(ContentType.JSON).body(makeCall(number))
                        .post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(403).body("error", equalTo(expected));
                given().header("Authorization", caller).contentType(ContentType.JSON).body(makeCall(number))
                        .post("/v1/actions/make_call").then().statusCode(200).body("error", equalTo(expected));
            }
            // With an idempotency key too: the list is checked before the key is claimed.
            given().header("Authorization", SERVICE).header("Idempotency-Key", "dnc-" + System.nanoTime())
                    .contentType(ContentType.JSON).body(makeCall(number)).post("/v1/accounts/" + ACCOUNT + "/calls")
                    .then().statusCode(403).body("error", equalTo(expected));
            String passThrough = TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN);
            given().header("Authorization", passThrough).contentType(ContentType.JSON)
                    .body(makeCall(number).replace(ACCOUNT, TestAccounts.PASS_THROUGH_ACCOUNT_SID))
                    .post("/v1/accounts/" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "/calls").then().statusCode(403)
                    .body("error", equalTo(expected));
            JsonObject answer = McpClients.messages(McpClients.request(SERVICE)
                    .body(McpClients.toolsCall(2, "make_call", makeCall(number))).post("/mcp")).get(0);
            JsonObject result = answer.getJsonObject("result");
            assertNotNull(result, answer.encode());
            assertEquals(true, result.getBoolean("isError"));
            assertEquals(expected, result.getJsonObject("structuredContent").getString("error"));

            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(9, audit.size(), String.join("\n", audit));
            audit.forEach(line -> assertTrue(line.contains("\"to\":\"***0173\"") && line.contains("\"decision\":\"deny\","
                    + "\"rule\":\"do-not-call\""), line));
            assertFalse(String.join("\n", logs.lines()).contains("5550173"), String.join("\n", logs.lines()));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));

        // Removed: calls go through again.
        as(OPERATOR).delete(PATH + "{n}", number).then().statusCode(200).body("removed", equalTo(true));
        given().header("Authorization", SERVICE).contentType(ContentType.JSON).body(makeCall(number))
                .post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(201);
    }

    @Test
    void hostileInputIsRefusedWithInvalidRequestAndReachesNoOne() {
        List<String> badNumbers = List.of("14155550174", "+", "+1", "+abc", "+1415555017a", "+" + "1".repeat(40),
                "+14155550174;drop", "%00", "+1%0a4155550174", "+1 415 555 0174 ext 9", "NONE", "+999999999999999");
        List<String> wrong = new ArrayList<>();
        for (String bad : badNumbers) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                var response = as(OPERATOR).request(method, PATH + bad);
                if (response.statusCode() != 400 || !response.jsonPath().getString("error").startsWith("invalid_request: ")) {
                    wrong.add(method + " " + bad + " -> " + response.statusCode() + " " + response.asString());
                }
            }
        }
        assertEquals(List.of(), wrong);
        List<String> badBodies = List.of("{\"reason\":1}", "{\"reason\":\"x\",\"extra\":true}", "{\"Reason\":\"x\"}",
                "[]", "\"reason\"", "{\"reason\":\"" + "a".repeat(501) + "\"}", "{\"reason\":\"a\\u0000b\"}",
                "{\"reason\":\"a\",\"reason\":\"b\"}", "{", "null", "{\"reason\":{\"x\":1}}");
        for (String body : badBodies) {
            put("+14155550174", body).statusCode(400).body("error", startsWith("invalid_request: "));
        }
        as(OPERATOR).contentType("text/plain").body("reason").put(PATH + "+14155550174").then().statusCode(400);
        as(OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"" + "a".repeat(11 * 1024 * 1024) + "\"}")
                .put(PATH + "+14155550174").then().statusCode(413).body("error", startsWith("invalid_request: "));
        for (String query : List.of("page_size=0", "page_size=201", "page_size=x", "page_token=zz", "page_token=",
                "sort=asc", "page_size=1&page_size=2", "page_token=" + "a".repeat(64).toUpperCase())) {
            as(OPERATOR).get("/v1/admin/do-not-call?" + query).then().statusCode(400)
                    .body("error", startsWith("invalid_request: "));
        }
        as(OPERATOR).queryParam("x", "1").get(PATH + "+14155550174").then().statusCode(400);
        as(OPERATOR).get(PATH + "+14155550174").then().statusCode(404);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anUnreadableListRefusesEveryCallOnEverySurface() {
        DoNotCallStore down = (DoNotCallStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DoNotCallStore.class}, (proxy, method, args) -> method.getName().equals("kind") ? "test"
                        : Uni.createFrom().failure(new IllegalStateException("connection refused")));
        QuarkusMock.installMockForType(down, DoNotCallStore.class);
        String expected = "upstream_unavailable: the do-not-call list is unreachable, so the call was not placed (rule "
                + "'do-not-call-unavailable'). Retrying later may help.";
        given().header("Authorization", SERVICE).contentType(ContentType.JSON).body(makeCall("+14155550175"))
                .post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(503).body("error", equalTo(expected));
        given().header("Authorization", GuardedKeys.bearer("outbound")).contentType(ContentType.JSON)
                .body(makeCall("+14155550175")).post("/v1/actions/make_call").then().statusCode(200)
                .body("error", equalTo(expected));
        JsonObject answer = McpClients.messages(McpClients.request(SERVICE)
                .body(McpClients.toolsCall(3, "make_call", makeCall("+14155550175"))).post("/mcp")).get(0);
        assertEquals(expected, answer.getJsonObject("result").getJsonObject("structuredContent").getString("error"));
        // Actions that place no call do not read the list.
        twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client
                .WireMock.urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));
        given().header("Authorization", SERVICE).get("/v1/accounts/" + ACCOUNT + "/calls?include_recordings=false")
                .then().statusCode(200);
        twilio.verify(0, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(anyUrl()));
    }
}
