package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

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
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * No secret ever leaves the service: each test drives error paths while every log record (DEBUG included)
 * is captured, and {@link #nothingLeaked()} checks the logs and every response body and header afterwards.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class SecretsTest {

    /** Every secret, and every service key's SHA-256 (named keys are configured by it; it must not leak either). */
    static final List<String> SECRETS = Stream.concat(Stream.of(TestAccounts.AUTH_TOKEN, TestAccounts.SERVICE_KEY,
            TestAccounts.PASS_THROUGH_AUTH_TOKEN, TestAccounts.API_KEY_SECRET, GuardedKeys.SECOND_AUTH_TOKEN,
            GuardedKeys.sha256(TestAccounts.SERVICE_KEY)), GuardedKeys.secretsAndHashes().stream()).toList();
    static final List<String> BASIC_VALUES = List.of(
            TestAccounts.basic(TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN),
            TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN),
            TestAccounts.basic(TestAccounts.API_KEY_SID, TestAccounts.API_KEY_SECRET));
    /** What may be a Basic credential value; {@link #isCredential} decides. */
    static final Pattern BASIC_CREDENTIAL = Pattern.compile("Basic\\s+([A-Za-z0-9+/]{4,}={0,2})");
    /** The numbers the requests use, unmasked, with or without the leading '+'. */
    static final List<String> PHONE_NUMBERS = List.of("4155551212", "5017122661");

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String RECORDING_SID = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    static final String SERVICE = TestAccounts.bearer(TestAccounts.SERVICE_KEY);

    @InjectWireMock
    WireMockServer twilio;

    private LogCapture logs;
    private final List<String> responses = new ArrayList<>();

    @BeforeEach
    void start() {
        TwilioStubs.reset(twilio);
        responses.clear();
        logs = LogCapture.install();
    }

    @AfterEach
    void nothingLeaked() {
        List<String> lines;
        try {
            lines = logs.lines();
        } finally {
            logs.close();
        }
        for (String line : lines) {
            assertClean("log line", line);
            for (String number : PHONE_NUMBERS) {
                assertTrue(!line.contains(number), "unmasked phone number in log line: " + line);
            }
        }
        for (String text : responses) {
            assertClean("response", text);
        }
    }

    static void assertClean(String where, String text) {
        for (String secret : SECRETS) {
            assertTrue(!text.contains(secret), "secret in " + where + ": " + text);
        }
        for (String basic : BASIC_VALUES) {
            assertTrue(!text.contains(basic.substring("Basic ".length())), "Basic credentials in " + where + ": " + text);
        }
        Matcher candidate = BASIC_CREDENTIAL.matcher(text);
        while (candidate.find()) {
            assertTrue(!isCredential(candidate.group(1)), "a Basic credential in " + where + ": " + text);
        }
    }

    /** Whether this is base64 of a printable {@code user:secret} pair, as opposed to a word like "credentials". */
    static boolean isCredential(String base64) {
        try {
            String decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            return decoded.matches("[\\x20-\\x7e]*:[\\x20-\\x7e]*");
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** Sends a request and keeps its status line, headers and body for {@link #nothingLeaked()}. */
    ValidatableResponse send(String authorization, String method, String path, String json) {
        RequestSpecification request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (json != null) {
            request.contentType(ContentType.JSON).body(json);
        }
        return keep(request.request(method, path));
    }

    private ValidatableResponse keep(Response response) {
        responses.add(response.getStatusLine());
        for (Header header : response.getHeaders()) {
            responses.add(header.getName() + ": " + header.getValue());
        }
        responses.add(response.asString());
        return response.then();
    }

    /** An MCP tools/call on /mcp, kept like {@link #send}. */
    ValidatableResponse mcp(String authorization, String action, String json) {
        return keep(McpClients.request(authorization).body(McpClients.toolsCall(1, action, json)).post("/mcp"));
    }

    ValidatableResponse tool(String authorization, String action, String json) {
        return send(authorization, "POST", "/v1/actions/" + action, json);
    }

    static String makeCall(String account) {
        return "{\"account_sid\":\"" + account + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\"}";
    }

    static String listCalls(String account) {
        return "{\"account_sid\":\"" + account + "\",\"to\":\"+14155551212\",\"include_recordings\":false}";
    }

    static String getRecording(String account) {
        return "{\"account_sid\":\"" + account + "\",\"recording_sid\":\"" + RECORDING_SID + "\"}";
    }

    /** Twilio answers everything this way. */
    void twilioAnswers(ResponseDefinitionBuilder response) {
        twilio.stubFor(any(urlPathMatching("/2010-04-01/.*")).willReturn(response));
    }

    static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void captureSeesTheServiceLogsWithNumbersMasked() {
        twilioAnswers(fixture(400, "error-21211.json"));
        tool(SERVICE, "make_call", makeCall(ACCOUNT)).body("error", startsWith("twilio_error: "));
        assertTrue(logs.lines().stream().anyMatch(line -> line.contains("make_call to ***1212 failed: twilio_error")),
                String.join("\n", logs.lines()));
        // The checks themselves: a real credential is caught, a sentence about credentials is not.
        assertTrue(isCredential(BASIC_VALUES.get(2).substring("Basic ".length())));
        assertTrue(!isCredential("credentials"));
    }

    @Test
    void twilioRejections() {
        twilioAnswers(fixture(400, "error-21211.json"));
        tool(SERVICE, "make_call", makeCall(ACCOUNT)).body("error", startsWith("twilio_error: "));
        send(SERVICE, "POST", "/v1/accounts/" + ACCOUNT + "/calls", makeCall(ACCOUNT)).statusCode(502);

        twilioAnswers(fixture(401, "error-20003.json"));
        tool(SERVICE, "list_calls", listCalls(ACCOUNT)).body("error", startsWith("unauthorized: "));
        send(SERVICE, "GET", "/v1/accounts/" + ACCOUNT + "/recordings/" + RECORDING_SID, null).statusCode(401);

        twilioAnswers(fixture(404, "error-20404.json"));
        tool(SERVICE, "get_recording", getRecording(ACCOUNT)).body("error", startsWith("not_found: "));
        send(SERVICE, "GET", "/v1/accounts/" + ACCOUNT + "/recordings/" + RECORDING_SID, null).statusCode(404);
    }

    @Test
    void rateLimitAndServerErrors() {
        twilioAnswers(fixture(429, "error-20429.json"));
        tool(SERVICE, "make_call", makeCall(ACCOUNT)).body("error", startsWith("rate_limited: "));
        send(SERVICE, "GET", "/v1/accounts/" + ACCOUNT + "/calls", null).statusCode(429);

        twilioAnswers(fixture(500, "error-20500.json"));
        tool(SERVICE, "make_call", makeCall(ACCOUNT)).body("error", startsWith("outcome_unknown: "));
        tool(SERVICE, "list_calls", listCalls(ACCOUNT)).body("error", startsWith("upstream_unavailable: "));
        tool(SERVICE, "get_recording", getRecording(ACCOUNT)).body("success", equalTo(false));
    }

    @Test
    void connectionResetAndGarbage() {
        twilioAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        tool(SERVICE, "make_call", makeCall(ACCOUNT)).body("error", startsWith("outcome_unknown: "));
        tool(SERVICE, "list_calls", listCalls(ACCOUNT)).body("error", startsWith("upstream_unavailable: "));

        twilioAnswers(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
        tool(SERVICE, "get_recording", getRecording(ACCOUNT)).body("success", equalTo(false));

        twilioAnswers(json("{not json"));
        tool(SERVICE, "list_calls", listCalls(ACCOUNT)).body("error", startsWith("upstream_unavailable: "));
    }

    @Test
    void timeouts() {
        twilioAnswers(fixture(201, "call-created.json").withFixedDelay(WireMockTwilio.SLOWER_THAN_TIMEOUT_MS));
        tool(SERVICE, "make_call", makeCall(ACCOUNT)).body("error", startsWith("outcome_unknown: "));
        twilioAnswers(fixture(200, "calls-page-last.json").withFixedDelay(WireMockTwilio.SLOWER_THAN_TIMEOUT_MS));
        tool(SERVICE, "list_calls", listCalls(ACCOUNT)).body("error", startsWith("timeout: "));
    }

    @Test
    void invalidInputs() {
        twilioAnswers(fixture(201, "call-created.json"));
        tool(SERVICE, "make_call", makeCall(ACCOUNT).replace("+14155551212", "4155551212"))
                .body("error", startsWith("invalid_request: "));
        tool(SERVICE, "make_call", makeCall(ACCOUNT).replace("https://example.com/twiml", "ftp://x/" + TestAccounts.AUTH_TOKEN))
                .body("error", startsWith("invalid_request: "));
        tool(SERVICE, "make_call", makeCall(TestAccounts.AUTH_TOKEN)).body("error", startsWith("invalid_request: "));
        tool(SERVICE, "make_call", "{\"to\": \"" + TestAccounts.PASS_THROUGH_AUTH_TOKEN)
                .body("error", startsWith("invalid_request: "));
        tool(SERVICE, "list_calls", listCalls(ACCOUNT).replace("+14155551212", TestAccounts.API_KEY_SECRET))
                .body("error", startsWith("invalid_request: "));
        send(SERVICE, "GET", "/v1/accounts/" + ACCOUNT + "/recordings/" + TestAccounts.API_KEY_SECRET, null).statusCode(400);
        send(SERVICE, "GET", "/v1/accounts/" + ACCOUNT + "/calls?to=" + TestAccounts.AUTH_TOKEN, null).statusCode(400);
        send(SERVICE, "GET", "/v1/accounts/" + ACCOUNT + "/calls?page_token=" + TestAccounts.PASS_THROUGH_AUTH_TOKEN, null)
                .statusCode(400);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void rejectedAuthorization() {
        twilioAnswers(fixture(201, "call-created.json"));
        tool(TestAccounts.bearer(TestAccounts.SERVICE_KEY + "-wrong"), "make_call", makeCall(ACCOUNT)).statusCode(401);
        tool(TestAccounts.bearer(TestAccounts.AUTH_TOKEN), "make_call", makeCall(ACCOUNT)).statusCode(401);
        tool("Token " + TestAccounts.SERVICE_KEY, "make_call", makeCall(ACCOUNT)).statusCode(401);
        tool("Basic " + TestAccounts.PASS_THROUGH_AUTH_TOKEN, "make_call", makeCall(ACCOUNT)).statusCode(401);
        tool(basic("nobody:" + TestAccounts.PASS_THROUGH_AUTH_TOKEN), "make_call", makeCall(ACCOUNT)).statusCode(401);
        tool(basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID + ":" + TestAccounts.PASS_THROUGH_AUTH_TOKEN), "make_call",
                makeCall(ACCOUNT)).body("error", startsWith("forbidden: "));
        tool(SERVICE, "make_call", makeCall(TestAccounts.OTHER_ACCOUNT_SID)).body("error", startsWith("forbidden: "));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void passThroughCredentials() {
        String token = basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID + ":" + TestAccounts.PASS_THROUGH_AUTH_TOKEN);
        String apiKey = basic(TestAccounts.API_KEY_SID + ":" + TestAccounts.API_KEY_SECRET);

        twilioAnswers(fixture(201, "call-created.json"));
        send(token, "POST", "/v1/accounts/" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "/calls", makeCall(
                TestAccounts.PASS_THROUGH_ACCOUNT_SID)).statusCode(201);
        tool(apiKey, "make_call", makeCall(TestAccounts.OTHER_ACCOUNT_SID)).body("success", equalTo(true));

        twilioAnswers(fixture(401, "error-20003.json"));
        tool(token, "make_call", makeCall(TestAccounts.PASS_THROUGH_ACCOUNT_SID)).body("error", startsWith("unauthorized: "));
        tool(apiKey, "list_calls", listCalls(TestAccounts.OTHER_ACCOUNT_SID)).body("error", startsWith("unauthorized: "));

        twilioAnswers(fixture(500, "error-20500.json"));
        tool(apiKey, "get_recording", getRecording(TestAccounts.OTHER_ACCOUNT_SID)).body("success", equalTo(false));
        tool(token, "list_calls", listCalls(TestAccounts.PASS_THROUGH_ACCOUNT_SID))
                .body("error", startsWith("upstream_unavailable: "));

        twilioAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        tool(apiKey, "make_call", makeCall(TestAccounts.OTHER_ACCOUNT_SID)).body("error", startsWith("outcome_unknown: "));
    }

    @Test
    void mcpToolCalls() {
        // Bad input first: a retry still running from an error path below could otherwise land after the check.
        mcp(SERVICE, "make_call", makeCall(TestAccounts.AUTH_TOKEN)).body("result.content[0].text", startsWith("invalid_request: "));
        mcp(SERVICE, "list_calls", listCalls(ACCOUNT).replace("+14155551212", TestAccounts.API_KEY_SECRET))
                .body("result.content[0].text", startsWith("invalid_request: "));
        mcp(SERVICE, "make_call", makeCall(ACCOUNT).replace("https://example.com/twiml", "ftp://x/" + TestAccounts.AUTH_TOKEN))
                .body("result.content[0].text", startsWith("invalid_request: "));
        twilio.verify(0, anyRequestedFor(anyUrl()));

        twilioAnswers(fixture(400, "error-21211.json"));
        mcp(SERVICE, "make_call", makeCall(ACCOUNT)).body("result.structuredContent.error", startsWith("twilio_error: "));
        twilioAnswers(fixture(401, "error-20003.json"));
        mcp(SERVICE, "list_calls", listCalls(ACCOUNT)).body("result.content[0].text", startsWith("unauthorized: "));
        twilioAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        mcp(SERVICE, "get_recording", getRecording(ACCOUNT)).body("result.isError", equalTo(true));
        mcp(SERVICE, "make_call", makeCall(ACCOUNT)).body("result.structuredContent.error", startsWith("outcome_unknown: "));
    }

    @Test
    void mcpRejectedAndPassThroughCredentials() {
        twilioAnswers(fixture(201, "call-created.json"));
        for (String refused : List.of(TestAccounts.bearer(TestAccounts.SERVICE_KEY + "-wrong"),
                TestAccounts.bearer(TestAccounts.AUTH_TOKEN), "Token " + TestAccounts.SERVICE_KEY,
                "Basic " + TestAccounts.PASS_THROUGH_AUTH_TOKEN, basic("nobody:" + TestAccounts.PASS_THROUGH_AUTH_TOKEN))) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                keep(McpClients.request(refused).body(McpClients.toolsCall(1, "make_call", makeCall(ACCOUNT)))
                        .request(method, "/mcp")).statusCode(401);
            }
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));

        String token = basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID + ":" + TestAccounts.PASS_THROUGH_AUTH_TOKEN);
        String apiKey = basic(TestAccounts.API_KEY_SID + ":" + TestAccounts.API_KEY_SECRET);
        mcp(token, "make_call", makeCall(TestAccounts.PASS_THROUGH_ACCOUNT_SID)).body("result.isError", equalTo(false));
        mcp(token, "make_call", makeCall(ACCOUNT)).body("result.content[0].text", startsWith("forbidden: "));
        twilioAnswers(fixture(401, "error-20003.json"));
        mcp(apiKey, "list_calls", listCalls(TestAccounts.OTHER_ACCOUNT_SID))
                .body("result.content[0].text", startsWith("unauthorized: "));
        keep(McpClients.request(apiKey).body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}")
                .post("/mcp")).statusCode(200);
    }

    @Test
    void everyMakeCallDecisionHasAnAuditLineWithNamesAndMaskedNumbersOnly() {
        twilioAnswers(fixture(201, "call-created.json"));
        String idempotent = append(makeCall(ACCOUNT), ",\"idempotency_key\":\"secrets-" + System.nanoTime() + "\"}");
        tool(GuardedKeys.bearer("outbound"), "make_call", makeCall(ACCOUNT)).body("success", equalTo(true));
        tool(GuardedKeys.bearer("outbound"), "make_call", makeCall(ACCOUNT).replace("+14155551212", "+442071838750"))
                .body("error", startsWith("forbidden: "));
        tool(GuardedKeys.bearer("audited"), "make_call", idempotent).body("success", equalTo(true));
        tool(GuardedKeys.bearer("audited"), "make_call", idempotent).body("success", equalTo(true));
        tool(GuardedKeys.bearer("audited"), "make_call", makeCall(ACCOUNT)).body("error", startsWith("rate_limited: "));
        tool(SERVICE, "make_call", makeCall(ACCOUNT).replace("+14155551212", "+19002345678"))
                .body("error", startsWith("forbidden: "));
        tool(basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID + ":" + TestAccounts.PASS_THROUGH_AUTH_TOKEN), "make_call",
                makeCall(TestAccounts.PASS_THROUGH_ACCOUNT_SID)).body("success", equalTo(true));
        tool(GuardedKeys.bearer("reporting"), "list_calls", listCalls(ACCOUNT)).statusCode(200);

        List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: {\"audit\":true,"))
                .toList();
        List<String> expected = List.of(
                "\"key\":\"outbound\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***1212\",\"from\":\"***2661\",\"decision\":\"allow\",\"rule\":null,\"replay\":false,\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\",\"outcome\":\"success\"",
                "\"key\":\"outbound\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***8750\",\"from\":\"***2661\",\"decision\":\"deny\",\"rule\":\"destinations\",\"replay\":false,\"call_sid\":null,\"outcome\":\"forbidden\"",
                "\"key\":\"audited\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***1212\",\"from\":\"***2661\",\"decision\":\"allow\",\"rule\":null,\"replay\":false,\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\",\"outcome\":\"success\"",
                "\"key\":\"audited\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***1212\",\"from\":\"***2661\",\"decision\":\"allow\",\"rule\":null,\"replay\":true,\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\",\"outcome\":\"success\"",
                "\"key\":\"audited\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***1212\",\"from\":\"***2661\",\"decision\":\"deny\",\"rule\":\"max-calls-per-day\",\"replay\":false,\"call_sid\":null,\"outcome\":\"rate_limited\"",
                "\"key\":\"SERVICE_API_KEYS[1]\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"***5678\",\"from\":\"***2661\",\"decision\":\"deny\",\"rule\":\"blocked-number-types\",\"replay\":false,\"call_sid\":null,\"outcome\":\"forbidden\"",
                "\"key\":\"pass-through\",\"account_sid\":\"" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "\",\"to\":\"***1212\",\"from\":\"***2661\",\"decision\":\"allow\",\"rule\":null,\"replay\":false,\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\",\"outcome\":\"success\"");
        assertEquals(expected.size(), audit.size(), "one audit line per make_call decision, none for list_calls: "
                + String.join("\n", audit));
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(audit.get(i).contains("{\"audit\":true,\"action\":\"make_call\"," + expected.get(i) + "}"),
                    audit.get(i));
        }
    }

    static String append(String object, String tail) {
        return object.substring(0, object.length() - 1) + tail;
    }

    @Test
    void documentsAndCatalogHoldNoSecrets() {
        send(null, "GET", "/q/openapi", null).statusCode(200);
        send(null, "GET", "/q/openapi?format=json", null).statusCode(200);
        send(null, "GET", "/v1/actions", null).statusCode(200);
        keep(McpClients.request(SERVICE).body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp"))
                .statusCode(200);
        send(null, "GET", "/q/health", null);
    }
}
