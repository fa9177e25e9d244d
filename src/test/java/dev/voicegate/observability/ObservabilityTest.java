package dev.voicegate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Metrics after real traffic, with no identifier or secret in them; request ids on responses and log lines. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class ObservabilityTest {

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(201, "call-created.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(200, "calls-page.json")));
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]+/Recordings.json")).willReturn(fixture(200, "call-recordings.json")));
    }

    static void action(String name, String body) {
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body(body).post("/v1/actions/" + name).then().statusCode(200);
    }

    @Test
    void metricsDescribeActionsAndUpstreamRequestsWithoutIdentifiers() {
        action("make_call", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\","
                + "\"from_\":\"+15017122661\",\"url\":\"https://example.com/t\"}");
        action("make_call", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"14155551212\"}");
        action("list_calls", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"}");
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : List.of(
                "voicegate_action_requests_total{action=\"make_call\",outcome=\"success\",surface=\"tool_call\"}",
                "voicegate_action_requests_total{action=\"make_call\",outcome=\"invalid_request\",surface=\"tool_call\"}",
                "voicegate_action_requests_total{action=\"list_calls\",outcome=\"success\",surface=\"tool_call\"}",
                "voicegate_action_requests_total{action=\"list_calls\",outcome=\"success\",surface=\"rest\"}",
                "voicegate_action_duration_seconds_bucket{action=\"list_calls\",surface=\"rest\"",
                "voicegate_recording_lookups_in_flight",
                "http_client_requests_seconds_count",
                "ft_invocations_total")) {
            assertTrue(metrics.contains(series), "missing " + series);
        }
        // Upstream requests are labelled by URI template, never by the SIDs in the path.
        assertTrue(metrics.contains("/2010-04-01/Accounts/{accountSid}/Calls.json"), "templated upstream URI");
        for (Pattern leak : List.of(Pattern.compile("AC[0-9a-fA-F]{32}"), Pattern.compile("CA[0-9a-fA-F]{32}"),
                Pattern.compile("RE[0-9a-fA-F]{32}"), Pattern.compile("\\+1\\d{10}"),
                Pattern.compile(Pattern.quote(TestAccounts.AUTH_TOKEN)), Pattern.compile(Pattern.quote(TestAccounts.SERVICE_KEY)))) {
            assertFalse(leak.matcher(metrics).find(), "metrics leak " + leak);
        }
    }

    @Test
    void everyResponseCarriesARequestIdAndItsLogLinesToo() {
        given().get("/v1/actions").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "agent-run-42.step-7").get("/v1/actions").then()
                .header("X-Request-Id", equalTo("agent-run-42.step-7"));
        given().header("X-Request-Id", "bad id\u0000").get("/v1/actions").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));

        try (LogCapture logs = LogCapture.install()) {
            given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).header("X-Request-Id", "trace-me-1")
                    .contentType(ContentType.JSON)
                    .body("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\","
                            + "\"from_\":\"+15017122661\",\"url\":\"https://example.com/t\"}")
                    .post("/v1/actions/make_call").then().statusCode(200);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("\"action\":\"make_call\"")
                    && line.contains("\"outcome\":\"success\"") && line.contains("trace-me-1")),
                    "the make_call audit line carries the request id: " + logs.lines());
        }
    }

    @Test
    void mcpToolCallsAreCountedBySurfaceAndLoggedWithTheirRequestId() {
        try (LogCapture logs = LogCapture.install()) {
            McpClients.request(TestAccounts.bearer(TestAccounts.SERVICE_KEY)).header("X-Request-Id", "mcp-run-1")
                    .body(McpClients.toolsCall(1, "make_call", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID
                            + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/t\"}"))
                    .post("/mcp").then().statusCode(200).header("X-Request-Id", "mcp-run-1");
            // "placed", or "failed: outcome_unknown" when a cold JVM on a busy machine misses the 1 s test timeout.
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("make_call ") && line.contains("***1212")
                    && line.contains("mcp-run-1")), "the make_call log line carries the request id: " + logs.lines());
        }
        McpClients.post(McpClients.toolsCall(2, "list_calls", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID
                + "\",\"page_size\":0}")).then().statusCode(200).body("result.isError", equalTo(true));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : List.of(
                "voicegate_action_requests_total{action=\"list_calls\",outcome=\"invalid_request\",surface=\"mcp\"}",
                "voicegate_action_duration_seconds_bucket{action=\"make_call\",surface=\"mcp\"")) {
            assertTrue(metrics.contains(series), "missing " + series);
        }
        assertTrue(Pattern.compile("voicegate_action_requests_total\\{action=\"make_call\",outcome=\"[a-z_]+\",surface=\"mcp\"}")
                .matcher(metrics).find(), "make_call over MCP is counted");
    }
}
