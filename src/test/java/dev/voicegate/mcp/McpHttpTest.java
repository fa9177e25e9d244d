package dev.voicegate.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * The MCP endpoint over HTTP: access exactly as on {@code /v1}, before any MCP processing; the guards of {@code /v1}
 * (413); protocol versions and stateless requests; malformed JSON-RPC answered with JSON-RPC errors, never a 500.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class McpHttpTest {

    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"%s\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";
    static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    ActionDispatcher dispatcher;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    // ------------------------------------------------------------------ access

    static Stream<Arguments> refusedCredentials() {
        return Stream.of(Arguments.of((Object) null), Arguments.of(TestAccounts.bearer("not-the-key")),
                Arguments.of(TestAccounts.bearer(TestAccounts.AUTH_TOKEN)), Arguments.of("Token " + TestAccounts.SERVICE_KEY),
                Arguments.of(TestAccounts.basic("nobody", "x")));
    }

    @ParameterizedTest
    @MethodSource("refusedCredentials")
    void everyMethodIs401WithAChallengeBeforeAnyMcpProcessing(String authorization) {
        for (String method : List.of("GET", "POST", "DELETE")) {
            Response response = McpClients.request(authorization).header("Mcp-Session-Id", "any")
                    .body(String.format(INITIALIZE, "2025-06-18")).request(method, "/mcp");
            response.then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Bearer realm=\"voicegate\", Basic realm=\"voicegate\""))
                    .header("Mcp-Session-Id", (String) null)
                    .contentType(ContentType.JSON)
                    .body("success", equalTo(false))
                    .body("error", startsWith("unauthorized: "));
            ContractSchemas.assertValidOutput("make_call", response.asString());
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void bothKindsOfCredentialsOpenASession() {
        for (String authorization : List.of(TestAccounts.bearer(TestAccounts.SERVICE_KEY),
                TestAccounts.basic(TestAccounts.API_KEY_SID, TestAccounts.API_KEY_SECRET))) {
            McpClients.request(authorization).body(String.format(INITIALIZE, "2025-06-18")).post("/mcp").then()
                    .statusCode(200).header("Mcp-Session-Id", not(equalTo(null))).body("result.serverInfo.name", equalTo("voicegate"));
        }
    }

    @Test
    void theInstructionsNameEveryActionOfTheRegistry() {
        String instructions = McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .body(String.format(INITIALIZE, "2025-06-18")).post("/mcp").then().statusCode(200)
                .extract().path("result.instructions");
        for (String action : dispatcher.actions().keySet()) {
            assertTrue(instructions.contains(action + " "), action + " is missing from: " + instructions);
        }
    }

    // ------------------------------------------------------------------ protocol versions and sessions

    @ParameterizedTest
    @ValueSource(strings = { "2025-11-25", "2025-06-18", "2025-03-26" })
    void negotiatesEachProtocolVersion(String version) {
        McpStreamableTestClient client = McpClients.builder(TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .setProtocolVersion(version).build().connect();
        try {
            client.when().toolsList(page -> assertEquals(5, page.size())).thenAssertResults();
        } finally {
            client.disconnect();
        }
        McpClients.post(String.format(INITIALIZE, version)).then().statusCode(200)
                .body("result.protocolVersion", equalTo(version))
                .body("result.capabilities.tools", not(equalTo(null)));
    }

    @Test
    void statelessRequestsNeedNoSessionAndAnUnknownSessionIsNoError() {
        // As behind a load balancer: no initialize here, or a session another replica created.
        McpClients.post(TOOLS_LIST).then().statusCode(200).body("result.tools.size()", equalTo(5));
        McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY)).header("Mcp-Session-Id", "from-another-replica")
                .header("Mcp-Protocol-Version", "2025-06-18").body(TOOLS_LIST).post("/mcp").then()
                .statusCode(200).body("result.tools.name", equalTo(List.of("make_call", "list_calls", "get_recording", "get_call",
                        "end_call")));
    }

    @Test
    void deleteEndsASession() {
        String session = McpClients.post(String.format(INITIALIZE, "2025-06-18")).then().statusCode(200)
                .extract().header("Mcp-Session-Id");
        McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY)).header("Mcp-Session-Id", session)
                .delete("/mcp").then().statusCode(200);
    }

    // ------------------------------------------------------------------ the guards of /v1

    @Test
    void aBodyOver64KiBIs413WithTheEnvelope() {
        String big = McpClients.toolsCall(1, "make_call", "{\"twiml\":\"" + "a".repeat(70_000) + "\"}");
        McpClients.post(big).then().statusCode(413).body("error", startsWith("invalid_request: the request body is larger"));
        // Chunked (no Content-Length): refused once the limit is passed, with the same answer.
        McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .body(new ByteArrayInputStream(big.getBytes())).post("/mcp").then()
                .statusCode(413).body("error", startsWith("invalid_request: the request body is larger"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theLegacySseTransportIsOff() {
        for (String path : List.of("/mcp/sse", "/mcp/messages/abc")) {
            given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).get(path).then()
                    .statusCode(404).body("error", startsWith("not_found: "));
        }
    }

    @Test
    void responsesCarryARequestId() {
        McpClients.post(TOOLS_LIST).then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY)).header("X-Request-Id", "agent-run-7")
                .body(TOOLS_LIST).post("/mcp").then().header("X-Request-Id", equalTo("agent-run-7"));
        McpClients.request(null).header("X-Request-Id", "agent-run-8").body(TOOLS_LIST).post("/mcp").then()
                .statusCode(401).header("X-Request-Id", equalTo("agent-run-8"));
    }

    @Test
    void browsersOfOtherOriginsAreRefusedUnlessConfigured() {
        // CORS_ORIGINS is unset here: same origin only. Agents send no Origin and are not concerned.
        given().header("Origin", "https://attacker.example").header("Access-Control-Request-Method", "POST")
                .options("/mcp").then().statusCode(403);
        McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY)).header("Origin", "https://attacker.example")
                .body(TOOLS_LIST).post("/mcp").then().statusCode(403);
        given().header("Origin", "https://attacker.example").get("/v1/actions").then().statusCode(403);
    }

    // ------------------------------------------------------------------ protocol misuse: JSON-RPC errors, never a 500

    static Stream<Arguments> malformed() {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":";
        return Stream.of(
                Arguments.of("not JSON", "{\"jsonrpc\":", 400, -32700),
                Arguments.of("empty", "", 400, -32700),
                Arguments.of("trailing garbage", TOOLS_LIST + " x", 400, -32700),
                Arguments.of("duplicate key", "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"tools/list\"}", 400, -32700),
                Arguments.of("a string", "\"tools/list\"", 400, -32600),
                Arguments.of("a number", "42", 400, -32600),
                Arguments.of("empty batch", "[]", 400, -32600),
                Arguments.of("batch of numbers", "[1,2]", 400, -32600),
                Arguments.of("no jsonrpc", "{\"id\":1,\"method\":\"tools/list\"}", 400, -32600),
                Arguments.of("jsonrpc a number", "{\"jsonrpc\":2,\"id\":1,\"method\":\"tools/list\"}", 400, -32600),
                Arguments.of("method a number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", 400, -32600),
                Arguments.of("id an object", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}", 400, -32600),
                Arguments.of("params a string", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":\"x\"}", 400, -32600),
                Arguments.of("cursor a number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"cursor\":1}}", 200, -32602),
                Arguments.of("tool name a number", call + "{\"name\":5,\"arguments\":{}}}", 200, -32602),
                Arguments.of("arguments an array", call + "{\"name\":\"make_call\",\"arguments\":[]}}", 200, -32602),
                Arguments.of("arguments a string", call + "{\"name\":\"list_calls\",\"arguments\":\"{}\"}}", 200, -32602),
                Arguments.of("_meta a string", call + "{\"name\":\"list_calls\",\"_meta\":\"x\"}}", 200, -32602),
                Arguments.of("initialize without clientInfo",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}", 400, -32600),
                Arguments.of("unknown method", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"calls/place\"}", 200, -32601));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedJsonRpcGetsTheJsonRpcError(String what, String body, int status, int code) {
        Response response = McpClients.post(body);
        response.then().statusCode(status);
        JsonObject answer = new JsonObject(response.asString());
        assertEquals("2.0", answer.getString("jsonrpc"), what);
        assertEquals(code, answer.getJsonObject("error").getInteger("code"), what + ": " + answer);
        assertFalse(answer.containsKey("result"), what);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void notificationsAreAccepted() {
        McpClients.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").then().statusCode(202);
        McpClients.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":9}}")
                .then().statusCode(202);
    }

    @Test
    void aBatchOfToolCallsIsAnsweredCallByCall() {
        twilio.stubFor(get(urlPathEqualTo("/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID + "/Calls.json"))
                .willReturn(fixture(200, "calls-page-last.json")));
        String list = "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"include_recordings\":false}";
        String body = "[" + McpClients.toolsCall(1, "list_calls", list) + ","
                + McpClients.toolsCall(2, "list_calls", list.replace("false", "null")) + "]";
        Response response = McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .header("Mcp-Protocol-Version", "2025-03-26").body(body).post("/mcp");
        response.then().statusCode(200);

        List<JsonObject> answers = McpClients.messages(response);
        assertEquals(List.of(1, 2), answers.stream().map(answer -> answer.getInteger("id")).sorted().toList());
        for (JsonObject answer : answers) {
            JsonObject result = answer.getJsonObject("result");
            assertFalse(result.getBoolean("isError"), answer.encode());
            assertTrue(result.getJsonObject("structuredContent").getBoolean("success"), answer.encode());
        }
    }

    @Test
    void getOpensNoStreamWithoutASession() {
        int status = McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY)).get("/mcp").statusCode();
        assertTrue(status >= 400 && status < 500, "status " + status);
    }
}
