package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Named keys and their policies, the toll-fraud guard and the quotas (in memory): every rule refuses with its
 * documented category and message on the tool call and on REST, and Twilio receives nothing.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class GuardrailsTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String SERVICE = TestAccounts.bearer(TestAccounts.SERVICE_KEY);
    static final String PASS_THROUGH = TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID,
            TestAccounts.PASS_THROUGH_AUTH_TOKEN);
    static final String TO = "+14155551212";
    static final String FROM = GuardedKeys.OUTBOUND_FROM;

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void twilioCreatesCalls() {
        TwilioStubs.reset(twilio);
        for (String account : List.of(ACCOUNT, GuardedKeys.SECOND_ACCOUNT_SID, TestAccounts.PASS_THROUGH_ACCOUNT_SID)) {
            String prefix = "/2010-04-01/Accounts/" + account;
            twilio.stubFor(post(urlEqualTo(prefix + "/Calls.json")).willReturn(fixture(201, "call-created.json")));
            twilio.stubFor(get(urlPathEqualTo(prefix + "/Calls.json")).willReturn(fixture(200, "calls-page-last.json")));
        }
    }

    static String call(String account, String to, String from) {
        return "{\"account_sid\":\"" + account + "\",\"to\":\"" + to + "\",\"from_\":\"" + from
                + "\",\"url\":\"https://example.com/twiml\"}";
    }

    static ValidatableResponse tool(String authorization, String action, String body) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON).body(body)
                .post("/v1/actions/" + action).then();
    }

    static ValidatableResponse rest(String authorization, String account, String to, String from) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"to\":\"" + to + "\",\"from_\":\"" + from + "\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + account + "/calls").then();
    }

    static ValidatableResponse listCalls(String authorization) {
        return tool(authorization, "list_calls", "{\"account_sid\":\"" + ACCOUNT + "\",\"include_recordings\":false}");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Every static rule: forbidden, naming the rule and the setting, nothing sent
    // ------------------------------------------------------------------------------------------------------------

    /** A make_call the policy refuses: who, where, from, the rule and what the message must also say. */
    record Denied(String authorization, String account, String to, String from, String rule, List<String> mentions) {
    }

    static Stream<Arguments> denials() {
        return Stream.of(
                new Denied(GuardedKeys.bearer("reporting"), ACCOUNT, TO, FROM, "actions", List.of("key 'reporting' may not use "
                        + "make_call; it may use list_calls, get_recording", "add make_call to voicegate.access.keys.reporting.actions")),
                new Denied(GuardedKeys.bearer("second"), ACCOUNT, TO, FROM, "accounts", List.of("key 'second' may not use "
                        + "account " + ACCOUNT, "voicegate.access.keys.second.accounts")),
                new Denied(GuardedKeys.bearer("outbound"), ACCOUNT, "+442071838750", FROM, "destinations",
                        List.of("key 'outbound' may call only +1, and 'to' ***8750 is in GB",
                                "add GB or a prefix of the number to voicegate.access.keys.outbound.destinations")),
                new Denied(GuardedKeys.bearer("uk"), ACCOUNT, TO, FROM, "destinations",
                        List.of("key 'uk' may call only GB, and 'to' ***1212 is in US")),
                new Denied(GuardedKeys.bearer("outbound"), ACCOUNT, TO, "+15005550006", "from",
                        List.of("key 'outbound' may call only from ***2661, not from ***0006",
                                "add the number to voicegate.access.keys.outbound.from")),
                new Denied(SERVICE, ACCOUNT, "+19002345678", FROM, "blocked-number-types",
                        List.of("'to' ***5678 is a PREMIUM_RATE number (US)",
                                "remove PREMIUM_RATE from voicegate.policy.blocked-number-types")),
                new Denied(GuardedKeys.bearer("outbound"), ACCOUNT, "+611300123456", FROM, "blocked-number-types",
                        List.of("is a SHARED_COST number (AU)")),
                new Denied(PASS_THROUGH, TestAccounts.PASS_THROUGH_ACCOUNT_SID, "+449012345678", FROM, "blocked-number-types",
                        List.of("PREMIUM_RATE number (GB)")),
                new Denied(SERVICE, ACCOUNT, "+1415555121", FROM, "valid-number",
                        List.of("'to' ***5121 is not a valid phone number for its country")),
                new Denied(SERVICE, ACCOUNT, "+881612345678", FROM, "blocked-prefixes",
                        List.of("'to' ***5678 is in +881, an international premium-rate or satellite range",
                                "To change it, add +881 (or a narrower prefix) to voicegate.policy.destinations")),
                new Denied(GuardedKeys.bearer("outbound"), ACCOUNT, "+883510012345", FROM, "blocked-prefixes",
                        List.of("to voicegate.access.keys.outbound.destinations")),
                new Denied(PASS_THROUGH, TestAccounts.PASS_THROUGH_ACCOUNT_SID, "+8823421234", FROM, "blocked-prefixes",
                        List.of("is in +882")))
                .map(denied -> Arguments.of(denied.rule() + " " + denied.to(), denied));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denials")
    void everyRuleRefusesOnEverySurfaceWithoutCallingTwilio(String name, Denied denied) {
        String body = tool(denied.authorization(), "make_call", call(denied.account(), denied.to(), denied.from()))
                .statusCode(200).body("success", equalTo(false)).extract().asString();
        String restBody = rest(denied.authorization(), denied.account(), denied.to(), denied.from())
                .statusCode(403).extract().asString();
        for (String answer : List.of(body, restBody)) {
            ContractSchemas.assertValidOutput("make_call", answer);
            String error = JsonPath.from(answer).getString("error");
            assertTrue(error.startsWith("forbidden: "), error);
            assertTrue(error.contains("(rule '" + denied.rule() + "'). To change it, "), error);
            assertTrue(error.endsWith("Retrying will not help."), error);
            for (String mention : denied.mentions()) {
                assertTrue(error.contains(mention), "should mention '" + mention + "': " + error);
            }
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aReportingKeyReadsButNeverPlacesACall() {
        listCalls(GuardedKeys.bearer("reporting")).statusCode(200).body("success", equalTo(true));
        given().header("Authorization", GuardedKeys.bearer("reporting"))
                .get("/v1/accounts/" + ACCOUNT + "/calls?include_recordings=false").then().statusCode(200);
        tool(GuardedKeys.bearer("reporting"), "make_call", call(ACCOUNT, TO, FROM))
                .body("error", startsWith("forbidden: key 'reporting' may not use make_call"));
        twilio.verify(WireMock.moreThanOrExactly(2), getRequestedFor(urlPathEqualTo(CALLS)));
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aRefusalOfAnyActionOnAnySurfaceIsAnAuditLine() {
        String getCall = "{\"account_sid\":\"" + ACCOUNT + "\",\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\"}";
        try (LogCapture logs = LogCapture.install()) {
            tool(GuardedKeys.bearer("reporting"), "get_call", getCall).body("error", startsWith("forbidden: "));
            McpClients.request(GuardedKeys.bearer("reporting")).body(McpClients.toolsCall(4, "get_call", getCall))
                    .post("/mcp").then().statusCode(200);
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(2, audit.size(), String.join("\n", logs.lines()));
            for (String line : audit) {
                assertTrue(line.contains("{\"audit\":true,\"action\":\"get_call\",\"key\":\"reporting\",\"target\":"
                        + "\"account " + ACCOUNT + "\",\"decision\":\"deny\",\"rule\":\"actions\"}"), line);
            }
        }
        twilio.verify(0, com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    @Test
    void mcpListsAKeyOnlyTheToolsItMayCall() {
        List<String> listed = McpClients.messages(McpClients.request(GuardedKeys.bearer("reporting"))
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp")).get(0)
                .getJsonObject("result").getJsonArray("tools").stream()
                .map(tool -> ((JsonObject) tool).getString("name")).toList();
        assertEquals(List.of("list_calls", "get_recording"), listed);
        List<String> all = McpClients.messages(McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp")).get(0)
                .getJsonObject("result").getJsonArray("tools").stream()
                .map(tool -> ((JsonObject) tool).getString("name")).toList();
        assertTrue(all.containsAll(List.of("make_call", "list_calls", "get_recording", "get_call")), all.toString());
    }

    @Test
    void mcpRefusesAToolTheKeyMayNotUseAsV1DoesWithTheAuditLine() {
        String v1 = tool(GuardedKeys.bearer("reporting"), "make_call", call(ACCOUNT, TO, FROM))
                .body("success", equalTo(false)).extract().asString();
        JsonObject envelope = new JsonObject(v1);
        assertTrue(envelope.getString("error").startsWith("forbidden: key 'reporting' may not use make_call; it may use "
                + "list_calls, get_recording"), v1);
        try (LogCapture logs = LogCapture.install()) {
            JsonObject answer = McpClients.messages(McpClients.request(GuardedKeys.bearer("reporting"))
                    .body(McpClients.toolsCall(2, "make_call", call(ACCOUNT, TO, FROM))).post("/mcp")).get(0);

            // A tool result, not a JSON-RPC error: the envelope exactly as /v1 gives it, and its error as the text.
            assertEquals(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("result", new JsonObject()
                    .put("content", new JsonArray().add(new JsonObject().put("type", "text")
                            .put("text", envelope.getString("error"))))
                    .put("isError", true)
                    .put("structuredContent", envelope)), answer);
            ContractSchemas.assertValidOutput("make_call", answer.getJsonObject("result")
                    .getJsonObject("structuredContent").encode());
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(1, audit.size(), String.join("\n", logs.lines()));
            assertTrue(audit.get(0).contains("voicegate.audit: {\"audit\":true,\"action\":\"make_call\","
                    + "\"key\":\"reporting\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***1212\",\"from\":\"***2661\","
                    + "\"decision\":\"deny\",\"rule\":\"actions\",\"replay\":false,\"call_sid\":null,"
                    + "\"outcome\":\"forbidden\"}"), audit.get(0));
        }
        // A tool no key has is still the protocol's error.
        JsonObject unknown = McpClients.messages(McpClients.request(GuardedKeys.bearer("reporting"))
                .body(McpClients.toolsCall(3, "send_sms", "{}")).post("/mcp")).get(0);
        assertEquals(-32602, unknown.getJsonObject("error").getInteger("code"), unknown.encode());
        assertEquals("Invalid tool name: send_sms", unknown.getJsonObject("error").getString("message"));
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aKeyLimitedToAnAccountUsesItsServerSideCredentials() {
        String calls = "/2010-04-01/Accounts/" + GuardedKeys.SECOND_ACCOUNT_SID + "/Calls.json";
        rest(GuardedKeys.bearer("second"), GuardedKeys.SECOND_ACCOUNT_SID, TO, FROM).statusCode(201);
        twilio.verify(1, postRequestedFor(urlEqualTo(calls)).withHeader("Authorization",
                WireMock.equalTo(TestAccounts.basic(GuardedKeys.SECOND_ACCOUNT_SID, GuardedKeys.SECOND_AUTH_TOKEN))));
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void allowedDestinationsAndOptedInRangesArePlaced() {
        rest(GuardedKeys.bearer("outbound"), ACCOUNT, TO, FROM).statusCode(201);
        rest(GuardedKeys.bearer("uk"), ACCOUNT, "+442071838750", FROM).statusCode(201);
        rest(GuardedKeys.bearer("satellite"), ACCOUNT, "+881612345678", FROM).statusCode(201);
        twilio.verify(3, postRequestedFor(urlEqualTo(CALLS)));
    }

    /**
     * The numbers the README's sandbox examples and Twilio's test credentials use pass the guard: with test
     * credentials Twilio accepts a call from +15005550006, and answers a call to +15005550001 to +15005550004 with
     * its errors 21217, 21214, 21215 and 21216 (Twilio's "magic" numbers); the README calls +14155551234.
     */
    @ParameterizedTest
    @ValueSource(strings = { "+14155551234", "+15005550001", "+15005550002", "+15005550003", "+15005550004",
            "+15005550006" })
    void twilioTestNumbersPassTheGuard(String to) {
        rest(SERVICE, ACCOUNT, to, "+15005550006").statusCode(201);
        rest(PASS_THROUGH, TestAccounts.PASS_THROUGH_ACCOUNT_SID, to, "+15005550006").statusCode(201);
        twilio.verify(2, postRequestedFor(anyUrl()).withRequestBody(WireMock.containing("From=%2B15005550006")));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Quotas: counted when a call is sent, rate_limited with Retry-After when the window has room again
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void callsPerMinuteCountOnlyWhatIsSent() {
        String key = GuardedKeys.bearer("minute");
        tool(key, "make_call", call(ACCOUNT, "4155551212", FROM)).body("error", startsWith("invalid_request: "));
        tool(key, "make_call", call(ACCOUNT, "+19002345678", FROM)).body("error", startsWith("forbidden: "));
        rest(key, ACCOUNT, TO, FROM).statusCode(201);
        tool(key, "make_call", call(ACCOUNT, TO, FROM)).body("success", equalTo(true));

        String body = tool(key, "make_call", call(ACCOUNT, TO, FROM)).statusCode(200)
                .header("Retry-After", notNullValue())
                .body("error", startsWith("rate_limited: key 'minute' has used its 2 calls in the last minute "
                        + "(rule 'max-calls-per-minute'); the call was not placed. To change it, raise "
                        + "voicegate.access.keys.minute.max-calls-per-minute. Retry after "))
                .extract().asString();
        ContractSchemas.assertValidOutput("make_call", body);
        String retryAfter = rest(key, ACCOUNT, TO, FROM).statusCode(429).extract().header("Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 60, retryAfter);
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void callsPerDayIgnoreIdempotentReplays() {
        String key = GuardedKeys.bearer("daily");
        String idempotencyKey = "daily-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", key).header("Idempotency-Key", idempotencyKey).contentType(ContentType.JSON)
                    .body("{\"to\":\"" + TO + "\",\"from_\":\"" + FROM + "\",\"url\":\"https://example.com/twiml\"}")
                    .post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(201)
                    .header("Idempotent-Replayed", i == 0 ? nullValue() : equalTo("true"));
        }
        String retryAfter = rest(key, ACCOUNT, "+14155550100", FROM).statusCode(429)
                .body("error", containsString("(rule 'max-calls-per-day')"))
                .body("error", containsString("its 1 calls in the last 24 hours")).extract().header("Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds > 86_000 && seconds <= 86_400, retryAfter);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aCallTwilioProvablyDidNotPlaceIsGivenBack() {
        String key = GuardedKeys.bearer("retry");
        twilio.stubFor(post(urlEqualTo(CALLS)).atPriority(1).willReturn(fixture(429, "error-20429.json")));
        rest(key, ACCOUNT, TO, FROM).statusCode(429).body("error", containsString("Twilio's concurrency limit"));
        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        rest(key, ACCOUNT, TO, FROM).statusCode(201);
        rest(key, ACCOUNT, TO, FROM).statusCode(429).body("error", containsString("(rule 'max-calls-per-minute')"));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void requestsPerMinuteCountEveryActionAndRefuseBeforeTwilio() {
        String key = GuardedKeys.bearer("chatty");
        for (int i = 0; i < 3; i++) {
            listCalls(key).body("success", equalTo(true));
        }
        // Counted after the allowed requests: a slow first answer may have been retried.
        int sent = twilio.findAll(getRequestedFor(urlPathEqualTo(CALLS))).size();
        listCalls(key).header("Retry-After", notNullValue())
                .body("error", startsWith("rate_limited: key 'chatty' has used its 3 requests in the last minute "
                        + "(rule 'max-requests-per-minute'); nothing was sent to Twilio."));
        rest(key, ACCOUNT, TO, FROM).statusCode(429).body("error", containsString("'max-requests-per-minute'"));
        twilio.verify(sent, getRequestedFor(urlPathEqualTo(CALLS)));
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // GET /v1/me, metrics, audit
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void meShowsTheNameAndEffectivePolicyAndNoSecret() {
        String outbound = given().header("Authorization", GuardedKeys.bearer("outbound")).get("/v1/me").then()
                .statusCode(200)
                .body("name", equalTo("outbound")).body("kind", equalTo("service_key"))
                .body("policy.actions", equalTo(List.of("make_call", "list_calls", "get_recording", "get_call",
                        "end_call")))
                .body("policy.accounts", equalTo(List.of(ACCOUNT, GuardedKeys.SECOND_ACCOUNT_SID).stream().sorted().toList()))
                .body("policy.destinations", equalTo(List.of("+1")))
                .body("policy.from", equalTo(List.of(FROM)))
                .body("policy.blocked_number_types", equalTo(List.of("PREMIUM_RATE", "SHARED_COST")))
                .body("policy.blocked_prefixes", equalTo(List.of("+870", "+881", "+882", "+883", "+979")))
                .body("policy.max_calls_per_hour", equalTo(30))
                .body("policy.max_calls_per_minute", nullValue())
                .body("policy.end_any_call", equalTo(false)).body("policy.approval", equalTo("never"))
                .body("policy.calling_hours", nullValue())
                .body("policy.calling_hours_setting", equalTo("voicegate.policy.calling-hours"))
                .body("state", equalTo("active")).body("suspension", nullValue())
                .extract().asString();
        // The policies of #22: end_call on any call, approval before dialing, calling hours and where they are set.
        given().header("Authorization", GuardedKeys.bearer("ender")).get("/v1/me").then().statusCode(200)
                .body("policy.end_any_call", equalTo(true));
        given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/me").then().statusCode(200)
                .body("policy.end_any_call", equalTo(true));
        given().header("Authorization", GuardedKeys.bearer("approval-always")).get("/v1/me").then().statusCode(200)
                .body("policy.approval", equalTo("always"));
        given().header("Authorization", GuardedKeys.bearer("approval-new")).get("/v1/me").then().statusCode(200)
                .body("policy.approval", equalTo("new-numbers"));
        given().header("Authorization", GuardedKeys.bearer("hours")).get("/v1/me").then().statusCode(200)
                .body("policy.calling_hours", equalTo("08:00-21:00"))
                .body("policy.calling_hours_setting", equalTo("voicegate.access.keys.hours.calling-hours"));
        given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/keys").then().statusCode(200)
                .body("keys.find { it.name == 'hours' }.policy.calling_hours", equalTo("08:00-21:00"))
                .body("keys.find { it.name == 'approval-new' }.policy.approval", equalTo("new-numbers"));
        given().header("Authorization", GuardedKeys.bearer("reporting")).get("/v1/me").then().statusCode(200)
                .body("policy.actions", equalTo(List.of("list_calls", "get_recording")));
        given().header("Authorization", SERVICE).get("/v1/me").then().statusCode(200)
                .body("name", equalTo("SERVICE_API_KEYS[1]")).body("policy.destinations", nullValue());
        given().header("Authorization", PASS_THROUGH).get("/v1/me").then().statusCode(200)
                .body("name", equalTo("pass-through")).body("kind", equalTo("pass_through"))
                .body("policy.approval", equalTo("never")).body("state", equalTo("active"))
                .body("policy.accounts", equalTo(List.of(TestAccounts.PASS_THROUGH_ACCOUNT_SID)));
        given().get("/v1/me").then().statusCode(401).body("error", startsWith("unauthorized: "));
        for (String secret : GuardedKeys.secretsAndHashes()) {
            assertTrue(!outbound.contains(secret), outbound);
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void denialsAndQuotasAreMetricsLabelledByKeyName() {
        tool(GuardedKeys.bearer("reporting"), "make_call", call(ACCOUNT, TO, FROM)).body("success", equalTo(false));
        rest(GuardedKeys.bearer("outbound"), ACCOUNT, TO, FROM).statusCode(201);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("voicegate_policy_denials_total{key=\"reporting\",rule=\"actions\"}"), metrics);
        assertTrue(metrics.matches("(?s).*voicegate_quota_remaining\\{key=\"outbound\",window=\"calls-per-hour\"} \\d+\\.0.*"),
                metrics);
        for (String secret : GuardedKeys.secretsAndHashes()) {
            assertTrue(!metrics.contains(secret), "metrics leak a key secret or hash");
        }
    }

    @Test
    void everyMakeCallDecisionLeavesOneAuditLine() {
        try (LogCapture logs = LogCapture.install()) {
            rest(GuardedKeys.bearer("outbound"), ACCOUNT, "+442071838750", FROM).statusCode(403);
            rest(GuardedKeys.bearer("outbound"), ACCOUNT, TO, FROM).statusCode(201);
            listCalls(GuardedKeys.bearer("outbound")).body("success", equalTo(true));
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(2, audit.size(), String.join("\n", logs.lines()));
            assertTrue(audit.get(0).contains("voicegate.audit: {\"audit\":true,\"action\":\"make_call\",\"key\":\"outbound\","
                    + "\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***8750\",\"from\":\"***2661\",\"decision\":\"deny\","
                    + "\"rule\":\"destinations\",\"replay\":false,\"call_sid\":null,\"outcome\":\"forbidden\"}"), audit.get(0));
            assertTrue(audit.get(1).contains("\"key\":\"outbound\",") && audit.get(1).contains("\"decision\":\"allow\",\"rule\":null,"
                    + "\"replay\":false,\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\",\"outcome\":\"success\""), audit.get(1));
        }
    }
}
