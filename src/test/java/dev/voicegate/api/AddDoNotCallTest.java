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

import dev.voicegate.dnc.DoNotCallFaults;
import dev.voicegate.dnc.DoNotCallStore;
import dev.voicegate.testing.ContractSchemas;
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
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * add_do_not_call, the agent's "please don't call me again" tool, on each surface (tool call, REST, MCP): it writes
 * to the operators' list, is idempotent (an entry listed already stays as it is), opens only to keys whose policy
 * allows it (rule {@code add-do-not-call}; operators through their actions), refuses invalid numbers with nothing
 * stored, and a make_call to a number it listed is then refused (rule {@code do-not-call}). Outputs are valid against
 * the project's schema; no log line holds a number in clear and nothing reaches Twilio. Each test lists numbers of
 * its own.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class AddDoNotCallTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String LISTENER = GuardedKeys.bearer("listener");
    static final String OPERATOR = GuardedKeys.bearer("operator");
    static final String SERVICE = TestAccounts.bearer(TestAccounts.SERVICE_KEY);
    static final String ADMIN = "/v1/admin/do-not-call/";

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void resetTwilio() {
        TwilioStubs.reset(twilio);
    }

    static String params(String number, String reason) {
        return "{\"account_sid\":\"" + ACCOUNT + "\",\"number\":\"" + number + "\""
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
    }

    static Response toolCall(String authorization, String body) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON).body(body)
                .post("/v1/actions/add_do_not_call");
    }

    static Response rest(String authorization, String body) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON).body(body)
                .post("/v1/accounts/" + ACCOUNT + "/do-not-call");
    }

    static List<String> audit(LogCapture logs) {
        return logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
    }

    @Test
    void theToolCallListsTheNumberOnceAndAMakeCallToItIsThenRefused() {
        String number = "+14155550181";
        try (LogCapture logs = LogCapture.install()) {
            String first = toolCall(LISTENER, params(number, "asked not to be called again")).then().statusCode(200)
                    .body("success", equalTo(true)).body("error", nullValue()).body("added", equalTo(true))
                    .body("number", equalTo(number)).body("reason", equalTo("asked not to be called again"))
                    .body("added_by", equalTo("listener")).body("added_at", startsWith("20")).extract().asString();
            ContractSchemas.assertValidOutput("add_do_not_call", first);
            ContractSchemas.assertValidInput("add_do_not_call", params(number, "asked not to be called again"));

            // Idempotent: again, with another reason, changes nothing and says so.
            String again = toolCall(LISTENER, params(number, "other")).then().statusCode(200)
                    .body("success", equalTo(true)).body("added", equalTo(false)).body("number", equalTo(number))
                    .body("reason", nullValue()).body("added_by", nullValue()).body("added_at", nullValue())
                    .extract().asString();
            ContractSchemas.assertValidOutput("add_do_not_call", again);

            // The operators' list: the same entry, with the first reason and the agent key's name.
            given().header("Authorization", OPERATOR).get(ADMIN + "{n}", number).then().statusCode(200)
                    .body("entry.number", equalTo(number)).body("entry.reason", equalTo("asked not to be called again"))
                    .body("entry.added_by", equalTo("listener"));

            List<String> audit = audit(logs);
            assertEquals(3, audit.size(), String.join("\n", audit));
            for (String line : audit.subList(0, 2)) {
                assertTrue(line.contains("{\"audit\":true,\"action\":\"add_do_not_call\",\"key\":\"listener\","
                        + "\"target\":\"***0181\",\"decision\":\"allow\",\"rule\":null}"), line);
            }
            assertFalse(String.join("\n", logs.lines()).contains("5550181"), String.join("\n", logs.lines()));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));

        // Any key's make_call to it is now refused, with nothing sent.
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        for (String caller : List.of(SERVICE, LISTENER, GuardedKeys.bearer("outbound"))) {
            given().header("Authorization", caller).contentType(ContentType.JSON)
                    .body("{\"to\":\"" + number + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                    .post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(403)
                    .body("error", startsWith("forbidden: 'to' ***0181 is on the do-not-call list (rule 'do-not-call')"));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void agentsDoNotReplaceAnOperatorsEntry() {
        String number = "+14155550182";
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"complaint\"}")
                .put(ADMIN + "{n}", number).then().statusCode(200).body("created", equalTo(true));
        toolCall(LISTENER, params(number, "asked again")).then().statusCode(200).body("added", equalTo(false));
        given().header("Authorization", OPERATOR).get(ADMIN + "{n}", number).then().statusCode(200)
                .body("entry.reason", equalTo("complaint")).body("entry.added_by", equalTo("operator"));
    }

    @Test
    void restTakesTheNumberInTheBodyAndTheAccountFromThePath() {
        String number = "+14155550183";
        // Normalised as the list keeps it; the body may repeat the path's account.
        String answer = rest(LISTENER, "{\"number\":\"" + number + "\"}").then().statusCode(200)
                .body("success", equalTo(true)).body("added", equalTo(true)).body("number", equalTo(number))
                .body("reason", nullValue()).body("added_by", equalTo("listener")).extract().asString();
        ContractSchemas.assertValidOutput("add_do_not_call", answer);
        rest(LISTENER, params(number, null)).then().statusCode(200).body("added", equalTo(false));

        rest(LISTENER, "{\"account_sid\":\"" + TestAccounts.OTHER_ACCOUNT_SID + "\",\"number\":\"+14155550184\"}").then()
                .statusCode(400).body("error", startsWith("invalid_request: 'account_sid' in the body differs from the "
                        + "one in the path"));
        given().header("Authorization", LISTENER).contentType(ContentType.JSON).body("{\"number\":\"+14155550184\"}")
                .queryParam("number", "+14155550184").post("/v1/accounts/" + ACCOUNT + "/do-not-call").then()
                .statusCode(400).body("error", startsWith("invalid_request: this endpoint takes no query parameters"));
        given().header("Authorization", LISTENER).contentType("text/plain").body("+14155550184")
                .post("/v1/accounts/" + ACCOUNT + "/do-not-call").then().statusCode(400)
                .body("error", startsWith("invalid_request: "));
        given().header("Authorization", LISTENER).post("/v1/accounts/" + ACCOUNT + "/do-not-call").then()
                .statusCode(400).body("error", startsWith("invalid_request: "));
        given().header("Authorization", OPERATOR).get(ADMIN + "{n}", "+14155550184").then().statusCode(404);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void mcpListsTheToolWithItsHintsOnlyToKeysThatMayUseItAndCallsIt() {
        JsonObject listed = McpClients.messages(McpClients.request(LISTENER)
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp")).get(0);
        JsonObject tool = listed.getJsonObject("result").getJsonArray("tools").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("name").equals("add_do_not_call")).findFirst().orElseThrow();
        JsonObject hints = tool.getJsonObject("annotations");
        assertEquals(List.of(false, false, true, false), List.of(hints.getBoolean("readOnlyHint"),
                hints.getBoolean("destructiveHint"), hints.getBoolean("idempotentHint"),
                hints.getBoolean("openWorldHint")), hints.encode());
        assertEquals(new JsonObject(ContractSchemas.schemaText("add_do_not_call.input")), tool.getJsonObject("inputSchema"));

        for (String cannot : List.of(SERVICE, GuardedKeys.bearer("outbound"), OPERATOR)) {
            JsonObject others = McpClients.messages(McpClients.request(cannot)
                    .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp")).get(0);
            assertFalse(others.encode().contains("add_do_not_call"), others.encode());
        }

        JsonObject answer = McpClients.messages(McpClients.request(LISTENER)
                .body(McpClients.toolsCall(2, "add_do_not_call", params("+14155550185", "over MCP"))).post("/mcp")).get(0);
        JsonObject result = answer.getJsonObject("result");
        assertNotNull(result, answer.encode());
        assertEquals(false, result.getBoolean("isError", false), answer.encode());
        JsonObject envelope = result.getJsonObject("structuredContent");
        ContractSchemas.assertValidOutput("add_do_not_call", envelope.encode());
        assertEquals(true, envelope.getBoolean("added"), envelope.encode());
        assertEquals("listener", envelope.getString("added_by"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void keysWithoutTheSettingAreRefusedAndNothingIsStored() {
        String number = "+14155550186";
        try (LogCapture logs = LogCapture.install()) {
            Response refused = toolCall(SERVICE, params(number, null));
            refused.then().statusCode(200).body("success", equalTo(false));
            String error = refused.jsonPath().getString("error");
            assertTrue(error.startsWith("forbidden: ") && error.contains("(rule 'add-do-not-call')")
                    && error.contains("use a named key whose voicegate.access.keys.<name>.add-do-not-call is true"), error);
            ContractSchemas.assertValidOutput("add_do_not_call", refused.asString());
            rest(GuardedKeys.bearer("outbound"), params(number, null)).then().statusCode(403)
                    .body("error", equalTo("forbidden: key 'outbound' may not add numbers to the do-not-call list (rule "
                            + "'add-do-not-call'). To change it, set voicegate.access.keys.outbound.add-do-not-call=true. "
                            + "Retrying will not help."));
            given().header("Authorization", TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID,
                    TestAccounts.PASS_THROUGH_AUTH_TOKEN)).contentType(ContentType.JSON)
                    .body("{\"number\":\"" + number + "\"}")
                    .post("/v1/accounts/" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "/do-not-call").then()
                    .statusCode(403).body("error", startsWith("forbidden: "))
                    .body("error", containsString("(rule 'add-do-not-call')"));
            // Operators: only when their actions list it.
            rest(OPERATOR, params(number, null)).then().statusCode(403)
                    .body("error", containsString("(rule 'role')"));
            rest(GuardedKeys.bearer("operator-ender"), params(number, null)).then().statusCode(403)
                    .body("error", containsString("(rule 'actions')"));
            JsonObject mcp = McpClients.messages(McpClients.request(GuardedKeys.bearer("outbound"))
                    .body(McpClients.toolsCall(3, "add_do_not_call", params(number, null))).post("/mcp")).get(0);
            assertEquals(true, mcp.getJsonObject("result").getBoolean("isError"), mcp.encode());
            assertTrue(mcp.getJsonObject("result").getJsonObject("structuredContent").getString("error")
                    .contains("(rule 'add-do-not-call')"), mcp.encode());

            List<String> audit = audit(logs);
            assertEquals(6, audit.size(), String.join("\n", audit));
            assertTrue(audit.get(1).contains("{\"audit\":true,\"action\":\"add_do_not_call\",\"key\":\"outbound\","
                    + "\"target\":\"***0186\",\"decision\":\"deny\",\"rule\":\"add-do-not-call\"}"), audit.get(1));
            assertFalse(String.join("\n", logs.lines()).contains("5550186"), String.join("\n", logs.lines()));
        }
        given().header("Authorization", OPERATOR).get(ADMIN + "{n}", number).then().statusCode(404);

        // An operator whose actions list it may.
        rest(GuardedKeys.bearer("operator-listing"), params(number, "by an operator")).then().statusCode(200)
                .body("added", equalTo(true)).body("added_by", equalTo("operator-listing"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void invalidInputIsInvalidRequestWithNothingStoredOrSent() {
        List<String> bad = List.of(
                "{\"account_sid\":\"" + ACCOUNT + "\"}",
                params("14155550187", null), params("+1", null), params("+1415555018a", null),
                params("+999999999999999", null), params("+1 415 555 0187", null), params("", null),
                params("+" + "1".repeat(40), null), params("+14155550187", "a".repeat(501)),
                params("+14155550187", "a\\u0000b"), params("+14155550187", "line\\nbreak"),
                "{\"account_sid\":\"" + ACCOUNT + "\",\"number\":14155550187}",
                "{\"account_sid\":\"" + ACCOUNT + "\",\"number\":\"+14155550187\",\"reason\":7}",
                "{\"account_sid\":\"" + ACCOUNT + "\",\"number\":\"+14155550187\",\"extra\":true}",
                "{\"account_sid\":\"AC1\",\"number\":\"+14155550187\"}",
                "{\"number\":\"+14155550187\"}");
        List<String> wrong = new ArrayList<>();
        try (LogCapture logs = LogCapture.install()) {
            for (String body : bad) {
                Response answer = toolCall(LISTENER, body);
                String error = answer.jsonPath().getString("error");
                if (answer.statusCode() != 200 || error == null || !error.startsWith("invalid_request: ")
                        || !ContractSchemas.outputErrors("add_do_not_call", answer.asString()).isEmpty()) {
                    wrong.add(body + " -> " + answer.statusCode() + " " + answer.asString());
                }
                // Only libphonenumber knows that +999… has no country: the schema's pattern cannot.
                if (!body.contains("+999") && ContractSchemas.inputErrors("add_do_not_call", body).isEmpty()) {
                    wrong.add(body + " is valid against the input schema");
                }
            }
            assertFalse(String.join("\n", logs.lines()).contains("5550187"), String.join("\n", logs.lines()));
        }
        assertEquals(List.of(), wrong);
        String impossible = toolCall(LISTENER, params("+999999999999999", null)).jsonPath().getString("error");
        assertTrue(impossible.startsWith("invalid_request: 'number' ***9999 is not a possible phone number"), impossible);
        given().header("Authorization", OPERATOR).get(ADMIN + "{n}", "+14155550187").then().statusCode(404);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anUnreachableListIsUpstreamUnavailable() {
        DoNotCallStore down = (DoNotCallStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DoNotCallStore.class}, (proxy, method, args) -> method.getName().equals("kind") ? "test"
                        : Uni.createFrom().failure(DoNotCallFaults.unavailable()));
        QuarkusMock.installMockForType(down, DoNotCallStore.class);
        rest(LISTENER, params("+14155550188", null)).then().statusCode(503).body("error", equalTo("upstream_unavailable: "
                + "the do-not-call list's store (Redis) is unreachable; nothing was added. Retrying later may help."));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
