package dev.voicegate.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.BASIC;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.ToolInfo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The MCP tools end to end through McpAssured's Streamable HTTP client: the tool list is the catalog, each tool sends
 * Twilio exactly what the tool-call endpoint sends, and every outcome comes back as the contract's envelope.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class McpToolsTest {

    static final String RE = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    static final String RECORDING = ACCOUNT + "/Recordings/" + RE + ".json";
    static final String TRANSCRIPTIONS = ACCOUNT + "/Recordings/" + RE + "/Transcriptions.json";
    static final Path CONTRACT = Path.of("src/main/resources/contract");

    final ObjectMapper json = new ObjectMapper();

    @InjectWireMock
    WireMockServer twilio;

    McpStreamableTestClient client;

    /**
     * McpAssured waits for a response with Awaitility's default, 10 s: the timeout case takes four attempts of
     * TEST_TIMEOUT_MS, and a busy machine more.
     */
    @BeforeAll
    static void waitLongEnoughForEveryRetry() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void restoreAwaitility() {
        Awaitility.reset();
    }

    @BeforeEach
    void connect() {
        TwilioStubs.reset(twilio);
        client = McpClients.serviceKey();
    }

    @AfterEach
    void disconnect() {
        client.disconnect();
    }

    ToolResponse call(String tool, String argumentsJson) {
        AtomicReference<ToolResponse> response = new AtomicReference<>();
        client.when().toolsCall(tool, new JsonObject(argumentsJson).getMap(), response::set).thenAssertResults();
        return response.get();
    }

    /** The structured content, checked against the tool's output schema, and its one text item. */
    JsonNode envelope(String tool, ToolResponse response) {
        String structured = ((JsonObject) response.structuredContent()).encode();
        ObjectNode envelope = (ObjectNode) read(structured);
        assertEquals(1, response.content().size(), "one content item");
        String text = ((TextContent) response.content().get(0)).text();
        if (tool.equals("list_calls")) {
            assertTrue(envelope.has("next_page_token"), structured);
            assertTrue(envelope.get("next_page_token").isTextual() || envelope.get("next_page_token").isNull());
            envelope = envelope.deepCopy();
            envelope.remove("next_page_token");
        }
        ContractSchemas.assertValidOutput(tool, envelope.toString());
        if (response.isError()) {
            assertFalse(envelope.get("success").booleanValue(), structured);
            assertEquals(envelope.get("error").textValue(), text, "an error's text is the error string");
        } else {
            assertTrue(envelope.get("success").booleanValue(), structured);
            assertEquals(read(structured), read(text), "the text is the same JSON");
        }
        return read(structured);
    }

    JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    static String makeCall(String extra) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\""
                + extra + "}";
    }

    static String listCalls(String extra) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"" + extra + "}";
    }

    static String getRecording(String sid) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"recording_sid\":\"" + sid + "\"}";
    }

    // ------------------------------------------------------------------ the tool list is the catalog

    @Test
    void toolsListIsTheCatalogWithTheContractSchemasAndEachActionsHints() throws IOException {
        // An unnamed key may not use add_do_not_call, so it is not listed to it (AddDoNotCallTest: listed when allowed).
        ArrayNode catalog = json.createArrayNode();
        read(given().get("/v1/actions").then().statusCode(200).extract().asString()).get("actions").forEach(entry -> {
            if (!entry.get("name").textValue().equals("add_do_not_call")) {
                catalog.add(entry);
            }
        });
        AtomicReference<List<ToolInfo>> listed = new AtomicReference<>();
        client.when().toolsList(page -> listed.set(page.tools())).thenAssertResults();
        List<ToolInfo> tools = listed.get();

        List<String> names = new ArrayList<>();
        catalog.forEach(entry -> names.add(entry.get("name").textValue()));
        assertEquals(names, tools.stream().map(ToolInfo::name).toList(), "the catalog's actions, in its order");
        for (int i = 0; i < tools.size(); i++) {
            ToolInfo tool = tools.get(i);
            JsonNode entry = catalog.get(i);
            String name = tool.name();
            assertEquals(entry.get("description").textValue(), tool.description(), name);
            assertNotNull(tool.title(), name);
            assertEquals(tool.title(), tool.annotations().orElseThrow().title(), name);

            // The contract file itself, member order included: the same bytes once whitespace is normalised.
            String contract = Files.readString(CONTRACT.resolve(name + ".input.schema.json"));
            assertEquals(json.writeValueAsString(json.readTree(contract)), json.writeValueAsString(read(tool.inputSchema().encode())),
                    name + " input schema");
            JsonNode input = read(tool.inputSchema().encode());
            assertEquals("object", input.get("type").textValue(), name);
            for (String combinator : List.of("oneOf", "anyOf", "allOf", "not")) {
                assertFalse(input.has(combinator), name + " has a top-level " + combinator);
            }

            JsonNode expectedOutput = json.readTree(Files.readString(CONTRACT.resolve(name + ".output.schema.json")));
            if (name.equals("list_calls")) {
                ObjectNode withToken = expectedOutput.deepCopy();
                ((ObjectNode) withToken.get("properties")).set("next_page_token", json.readTree("{\"anyOf\":[{\"type\":"
                        + "\"string\"},{\"type\":\"null\"}],\"default\":null,\"title\":\"Next Page Token\",\"description\":"
                        + "\"Cursor of the next page: give it as page_token to continue; null on the last page\"}"));
                expectedOutput = withToken;
            }
            assertEquals(expectedOutput, read(tool.outputSchema().encode()), name + " output schema");
        }

        var makeCall = tools.stream().filter(t -> t.name().equals("make_call")).findFirst().orElseThrow().annotations().orElseThrow();
        assertEquals(List.of(false, false, false, true), List.of(makeCall.readOnlyHint(), makeCall.destructiveHint(),
                makeCall.idempotentHint(), makeCall.openWorldHint()));
        for (String reader : List.of("list_calls", "get_recording", "get_call")) {
            var hints = tools.stream().filter(t -> t.name().equals(reader)).findFirst().orElseThrow().annotations().orElseThrow();
            assertEquals(List.of(true, false, true, true), List.of(hints.readOnlyHint(), hints.destructiveHint(),
                    hints.idempotentHint(), hints.openWorldHint()), reader);
        }
        var endCall = tools.stream().filter(t -> t.name().equals("end_call")).findFirst().orElseThrow().annotations().orElseThrow();
        assertEquals(List.of(false, true, true, true), List.of(endCall.readOnlyHint(), endCall.destructiveHint(),
                endCall.idempotentHint(), endCall.openWorldHint()), "end_call");
    }

    // ------------------------------------------------------------------ each tool: exactly what Twilio receives

    @Test
    void makeCallSendsTwilioWhatTheToolCallEndpointSends() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));

        JsonNode envelope = envelope("make_call", call("make_call", makeCall(",\"twiml\":\"<Response><Say>Hi</Say></Response>\","
                + "\"status_callback\":\"https://example.com/status\",\"status_callback_method\":\"POST\",\"record\":true,"
                + "\"timeout\":30,\"machine_detection\":\"Enable\"")));

        assertEquals("CAc0ffee00c0ffee00c0ffee00c0ffee00", envelope.get("call_sid").textValue());
        assertEquals("+14155551212", envelope.get("to").textValue());
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS))
                .withHeader("Authorization", WireMock.equalTo(BASIC))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("To", WireMock.equalTo("+14155551212"))
                .withFormParam("From", WireMock.equalTo("+15017122661"))
                .withFormParam("Twiml", WireMock.equalTo("<Response><Say>Hi</Say></Response>"))
                .withFormParam("StatusCallback", WireMock.equalTo("https://example.com/status"))
                .withFormParam("StatusCallbackMethod", WireMock.equalTo("POST"))
                .withFormParam("Record", WireMock.equalTo("true"))
                .withFormParam("Timeout", WireMock.equalTo("30"))
                .withFormParam("MachineDetection", WireMock.equalTo("Enable"))
                .withFormParam("Url", absent()));
        assertEquals(1, twilio.getAllServeEvents().size());
    }

    @Test
    void listCallsPagesWithNextPageTokenAndLooksUpRecordings() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent()).willReturn(fixture(200, "calls-page.json")));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.equalTo("PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"))
                .willReturn(fixture(200, "calls-page-last.json")));
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json")).willReturn(fixture(200, "call-recordings-empty.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls/CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1/Recordings.json"))
                .willReturn(fixture(200, "call-recordings.json")));

        JsonNode first = envelope("list_calls", call("list_calls", listCalls(",\"to\":\"+14155551212\",\"page_size\":3")));
        assertEquals(3, first.get("total").intValue());
        assertEquals(List.of(RE, "REf6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6"),
                json.convertValue(first.at("/calls/0/recording_sids"), List.class));
        String token = first.get("next_page_token").textValue();
        assertNotNull(token, first.toString());
        twilio.verify(1, getRequestedFor(urlPathEqualTo(CALLS)).withHeader("Authorization", WireMock.equalTo(BASIC))
                .withQueryParam("To", WireMock.equalTo("+14155551212")).withQueryParam("PageSize", WireMock.equalTo("3"))
                .withQueryParam("PageToken", absent()));
        twilio.verify(3, getRequestedFor(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json")));

        JsonNode second = envelope("list_calls", call("list_calls", listCalls(",\"to\":\"+14155551212\",\"page_size\":3,"
                + "\"include_recordings\":false,\"page_token\":\"" + token + "\"")));
        assertEquals("CAd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4", second.at("/calls/0/call_sid").textValue());
        assertTrue(second.get("next_page_token").isNull(), "the last page: " + second);
        twilio.verify(1, getRequestedFor(urlPathEqualTo(CALLS)).withQueryParam("Page", WireMock.equalTo("1"))
                .withQueryParam("PageToken", WireMock.equalTo("PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3")));
    }

    @Test
    void getRecordingFetchesTheRecordingAndItsTranscriptions() {
        twilio.stubFor(get(urlPathEqualTo(RECORDING)).willReturn(fixture(200, "recording.json")));
        twilio.stubFor(get(urlPathEqualTo(TRANSCRIPTIONS)).willReturn(fixture(200, "transcriptions.json")));

        JsonNode envelope = envelope("get_recording", call("get_recording", getRecording(RE)));

        assertEquals(RE, envelope.get("recording_sid").textValue());
        assertEquals("completed", envelope.get("transcription_status").textValue());
        twilio.verify(1, getRequestedFor(urlEqualTo(RECORDING)).withHeader("Authorization", WireMock.equalTo(BASIC)));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TRANSCRIPTIONS)).withHeader("Authorization", WireMock.equalTo(BASIC))
                .withQueryParam("PageSize", WireMock.equalTo("1000")));
        assertEquals(2, twilio.getAllServeEvents().size());
    }

    @Test
    void anIdempotencyKeyPlacesOneCallForTwoToolCalls() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        String arguments = makeCall(",\"url\":\"https://example.com/twiml\",\"idempotency_key\":\"mcp-order-42\"");

        JsonNode first = envelope("make_call", call("make_call", arguments));
        JsonNode again = envelope("make_call", call("make_call", arguments));

        assertEquals(first, again);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void basicPassThroughCredentialsAreUsedForThatRequest() {
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Calls.json")).willReturn(fixture(201, "call-created.json")));
        McpStreamableTestClient own = McpClients.connected(
                TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN));
        try {
            AtomicReference<ToolResponse> response = new AtomicReference<>();
            own.when().toolsCall("make_call", new JsonObject(makeCall(",\"url\":\"https://example.com/t\"")
                    .replace(TestAccounts.ACCOUNT_SID, TestAccounts.PASS_THROUGH_ACCOUNT_SID)).getMap(), response::set)
                    .thenAssertResults();
            assertFalse(response.get().isError(), response.get().toString());
        } finally {
            own.disconnect();
        }
        twilio.verify(1, postRequestedFor(urlEqualTo("/2010-04-01/Accounts/" + TestAccounts.PASS_THROUGH_ACCOUNT_SID + "/Calls.json"))
                .withHeader("Authorization", WireMock.equalTo(TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID,
                        TestAccounts.PASS_THROUGH_AUTH_TOKEN))));
    }

    // ------------------------------------------------------------------ every error category

    static Stream<Arguments> outcomes() {
        String url = ",\"url\":\"https://example.com/twiml\"";
        return Stream.of(
                Arguments.of("invalid_request", "make_call", makeCall(url).replace("+14155551212", "4155551212"), null, "'to'"),
                Arguments.of("forbidden", "make_call", makeCall(url).replace(TestAccounts.ACCOUNT_SID,
                        TestAccounts.OTHER_ACCOUNT_SID), null, TestAccounts.OTHER_ACCOUNT_SID),
                Arguments.of("unauthorized", "list_calls", listCalls(",\"include_recordings\":false"), fixture(401, "error-20003.json"), "20003"),
                Arguments.of("not_found", "get_recording", getRecording(RE), fixture(404, "error-20404.json"), "20404"),
                Arguments.of("rate_limited", "make_call", makeCall(url), fixture(429, "error-20429.json"), "20429"),
                Arguments.of("twilio_error", "make_call", makeCall(url), fixture(400, "error-21211.json"), "21211"),
                Arguments.of("outcome_unknown", "make_call", makeCall(url), fixture(500, "error-20500.json"), "list_calls"),
                Arguments.of("upstream_unavailable", "list_calls", listCalls(",\"include_recordings\":false"),
                        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "Retrying"),
                Arguments.of("timeout", "list_calls", listCalls(",\"include_recordings\":false"),
                        fixture(200, "calls-page-last.json").withFixedDelay(WireMockTwilio.SLOWER_THAN_TIMEOUT_MS), "Retrying"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void everyFailureIsAnErrorResultWithTheEnvelope(String category, String tool, String arguments,
            ResponseDefinitionBuilder twilioAnswer, String mentioned) {
        if (twilioAnswer != null) {
            twilio.stubFor(WireMock.any(urlPathMatching("/2010-04-01/.*")).willReturn(twilioAnswer));
        }
        ToolResponse response = call(tool, arguments);

        assertTrue(response.isError(), category);
        JsonNode envelope = envelope(tool, response);
        String error = envelope.get("error").textValue();
        assertTrue(error.startsWith(category + ": "), error);
        assertTrue(error.contains(mentioned), error);
        if (twilioAnswer == null) {
            twilio.verify(0, anyRequestedFor(anyUrl()));
        }
    }

    @Test
    void partialIsNotAnError() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json")).willReturn(fixture(500, "error-20500.json")));

        ToolResponse response = call("list_calls", listCalls(""));

        assertFalse(response.isError());
        JsonNode envelope = envelope("list_calls", response);
        assertTrue(envelope.get("error").textValue().startsWith("partial: "), envelope.toString());
    }

    // ------------------------------------------------------------------ arguments are read as /v1 reads them

    static Stream<Arguments> badArguments() {
        String url = ",\"url\":\"https://example.com/twiml\"";
        return Stream.of(
                Arguments.of(makeCall(url).replace(",\"to\":\"+14155551212\"", ""), "'to' is required"),
                Arguments.of(makeCall(url + ",\"timeout\":\"60\""), "'timeout' must be an integer"),
                Arguments.of(makeCall(url + ",\"timeout\":60.0"), "'timeout' must be an integer"),
                Arguments.of(makeCall(url + ",\"record\":1"), "'record' must be true or false"),
                Arguments.of(makeCall(url + ",\"sendDigits\":\"1\""), "unknown parameter 'sendDigits'"),
                Arguments.of(makeCall(url + ",\"x\":null"), "unknown parameter 'x'"),
                Arguments.of(makeCall(url).replace("\"+14155551212\"", "null"), "'to' is required"),
                Arguments.of(makeCall(""), "exactly one of 'url' or 'twiml'"),
                Arguments.of(makeCall(url + ",\"from\":\"+15017122661\""), "'from_' or its alias 'from', not both"),
                Arguments.of("{}", "is required"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void badArgumentsAreInvalidRequestNamingTheParameterAndSendNothing(String arguments, String message) {
        // Raw, so that nulls and number forms reach the server exactly as written.
        String answer = McpClients.post(McpClients.toolsCall(7, "make_call", arguments)).then().statusCode(200)
                .extract().asString();
        JsonNode result = read(answer).get("result");
        assertNotNull(result, answer);
        assertTrue(result.get("isError").booleanValue(), answer);
        String error = result.at("/structuredContent/error").textValue();
        assertTrue(error.startsWith("invalid_request: "), error);
        assertTrue(error.contains(message), error);
        assertEquals(error, result.at("/content/0/text").textValue());
        ContractSchemas.assertValidOutput("make_call", result.get("structuredContent").toString());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anUnknownToolIsAJsonRpcInvalidParamsError() {
        String answer = McpClients.post(McpClients.toolsCall(3, "send_sms", "{}")).then().statusCode(200).extract().asString();
        JsonNode response = read(answer);
        assertEquals(3, response.get("id").intValue());
        assertEquals(-32602, response.at("/error/code").intValue(), answer);
        assertNull(response.get("result"));
    }
}
