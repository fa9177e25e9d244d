package dev.voicegate.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.BASIC;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.LedgerQuery;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import reactor.core.publisher.Mono;

/**
 * Approval before dialing asked over MCP form elicitation, driven by the MCP Java SDK client as the human's client:
 * the question (masked number, country, caller ID, what the call plays), a yes that places exactly the call, a no, a
 * dismissal and silence that refuse it with nothing sent, the idempotency key's recorded decisions, and a client
 * without elicitation that still gets pending_approval.
 */
@QuarkusTest
@TestProfile(ElicitedApprovalTest.ShortTimeout.class)
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ElicitedApprovalTest {

    /** A short wait for the human, so that silence is tested in seconds. */
    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicegate.approval.timeout", "2s");
        }
    }

    static final String ALWAYS = "approval-always";
    static final String URL = "https://example.com/twiml/welcome?token=s3cr3t";
    static final ElicitResult YES = new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("approve", true));

    final ObjectMapper json = new ObjectMapper();
    final List<ElicitFormRequest> questions = new CopyOnWriteArrayList<>();

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    Ledger ledger;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        questions.clear();
    }

    /** A connected client of this key; with a human, it declares form elicitation and answers with {@code human}. */
    McpAsyncClient client(String key, Function<ElicitFormRequest, Mono<ElicitResult>> human) {
        String base = ConfigProvider.getConfig().getValue("test.url", String.class);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", GuardedKeys.bearer(key)))
                .build();
        McpClient.AsyncSpec spec = McpClient.async(transport).requestTimeout(Duration.ofSeconds(30));
        if (human != null) {
            spec.capabilities(ClientCapabilities.builder().elicitation().build()).elicitation(request -> {
                questions.add(request);
                return human.apply(request);
            });
        }
        McpAsyncClient client = spec.build();
        client.initialize().block(Duration.ofSeconds(30));
        return client;
    }

    CallToolResult makeCall(McpAsyncClient client, Map<String, Object> arguments) {
        try {
            return client.callTool(new CallToolRequest("make_call", arguments)).block(Duration.ofSeconds(30));
        } finally {
            client.closeGracefully().block(Duration.ofSeconds(10));
        }
    }

    static Map<String, Object> call(String to, String idempotencyKey) {
        Map<String, Object> arguments = new HashMap<>(Map.of("account_sid", TestAccounts.ACCOUNT_SID, "to", to,
                "from_", "+15017122661", "url", URL));
        if (idempotencyKey != null) {
            arguments.put("idempotency_key", idempotencyKey);
        }
        return arguments;
    }

    /** A success's envelope, valid against the contract, with its text and structured content the same. */
    String envelope(CallToolResult result) throws Exception {
        assertFalse(Boolean.TRUE.equals(result.isError()), result.toString());
        String structured = json.writeValueAsString(result.structuredContent());
        assertEquals(json.readTree(structured), json.readTree(text(result)));
        ContractSchemas.assertValidOutput("make_call", structured);
        return structured;
    }

    /** A failure's error: its text, and the {@code error} of its envelope, valid against the contract. */
    String refusal(CallToolResult result) throws Exception {
        assertTrue(Boolean.TRUE.equals(result.isError()), result.toString());
        String structured = json.writeValueAsString(result.structuredContent());
        ContractSchemas.assertValidOutput("make_call", structured);
        assertEquals(text(result), json.readTree(structured).path("error").asText());
        return text(result);
    }

    static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    /** What the service logged (the SDK client's own debug lines carry the request as sent). */
    static List<String> served(LogCapture logs) {
        return logs.lines().stream().filter(line -> !line.contains(" io.modelcontextprotocol.") && !line.contains(" jdk.internal."))
                .toList();
    }

    static Mono<ElicitResult> answer(ElicitResult.Action action) {
        return Mono.just(new ElicitResult(action, action == ElicitResult.Action.ACCEPT ? Map.of("approve", false) : null));
    }

    @Test
    void aYesPlacesExactlyTheCallAndIsAudited() throws Exception {
        try (LogCapture logs = LogCapture.install()) {
            CallToolResult result = makeCall(client(ALWAYS, request -> Mono.just(YES)), call("+14155551212", null));

            assertTrue(envelope(result).contains("\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\""), result.toString());
            twilio.verify(1, anyRequestedFor(anyUrl()));
            twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)).withHeader("Authorization", WireMock.equalTo(BASIC))
                    .withRequestBody(WireMock.equalTo("To=%2B14155551212&From=%2B15017122661&Url="
                            + "https%3A%2F%2Fexample.com%2Ftwiml%2Fwelcome%3Ftoken%3Ds3cr3t")));

            List<String> lines = served(logs);
            assertTrue(lines.stream().anyMatch(line -> line.contains("\"action\":\"approve_call\",\"key\":\"approval-always "
                    + "via elicitation\",\"target\":\"***1212 (approved)\",\"decision\":\"allow\"")), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(line -> line.contains("\"action\":\"make_call\",\"key\":\"approval-always\"")
                    && line.contains("\"decision\":\"allow\"") && line.contains("\"outcome\":\"success\"")), String.join("\n", lines));
            assertTrue(lines.stream().noneMatch(line -> line.contains("4155551212")), String.join("\n", lines));
        }
        assertEquals(1, questions.size());
        ElicitFormRequest question = questions.get(0);
        assertEquals("Approve this phone call? Key 'approval-always' asks to call ***1212 (US) from +15017122661 with the "
                + "TwiML at example.com/twiml/welcome. Nothing is dialled until you answer; answering no, dismissing this "
                + "or not answering within 2 s refuses the call.", question.message());
        Map<?, ?> schema = question.requestedSchema();
        assertEquals("boolean", ((Map<?, ?>) ((Map<?, ?>) schema.get("properties")).get("approve")).get("type"), schema.toString());
        assertEquals(List.of("approve"), schema.get("required"));
    }

    @Test
    void noDismissalAndSilenceRefuseWithNothingSent() throws Exception {
        String declined = refusal(makeCall(client(ALWAYS, request -> answer(ElicitResult.Action.DECLINE)),
                call("+14155551212", null)));
        assertEquals("forbidden: this call needed approval; asked through elicitation, it was declined (rule 'approval'); "
                + "nothing was sent to Twilio. Asking again is a new question.", declined);
        String no = refusal(makeCall(client(ALWAYS, request -> answer(ElicitResult.Action.ACCEPT)), call("+14155551212", null)));
        assertEquals(declined, no, "approve: false is a no");
        String cancelled = refusal(makeCall(client(ALWAYS, request -> answer(ElicitResult.Action.CANCEL)),
                call("+14155551212", null)));
        assertTrue(cancelled.startsWith("forbidden: this call needed approval; asked through elicitation, it was cancelled "
                + "(rule 'approval')"), cancelled);

        try (LogCapture logs = LogCapture.install()) {
            String silent = refusal(makeCall(client(ALWAYS, request -> Mono.never()), call("+14155551212", null)));
            assertTrue(silent.startsWith("forbidden: this call needed approval; asked through elicitation, it was not "
                    + "answered within 2 s (rule 'approval')"), silent);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("\"action\":\"deny_call\",\"key\":\"approval-always"
                    + " via elicitation\",\"target\":\"***1212 (not answered within 2 s)\"")), String.join("\n", logs.lines()));
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("\"action\":\"make_call\"")
                    && line.contains("\"decision\":\"deny\",\"rule\":\"approval\"") && line.contains("\"outcome\":\"forbidden\"")),
                    String.join("\n", logs.lines()));
        }
        assertEquals(4, questions.size());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void withAnIdempotencyKeyAYesReplaysAndANoStaysRefusedWithoutAskingAgain() throws Exception {
        String key = "task-" + UUID.randomUUID();
        makeCall(client(ALWAYS, request -> Mono.just(YES)), call("+14155551212", key));
        CallToolResult replayed = makeCall(client(ALWAYS, request -> Mono.just(YES)), call("+14155551212", key));
        assertTrue(envelope(replayed).contains("\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\""), replayed.toString());
        assertEquals(1, questions.size(), "the replay asks nobody");
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));

        String other = "task-" + UUID.randomUUID();
        String no = refusal(makeCall(client(ALWAYS, request -> answer(ElicitResult.Action.DECLINE)), call("+14155551212", other)));
        assertTrue(no.contains("This idempotency_key stays refused (approval_id AP"), no);
        String again = refusal(makeCall(client(ALWAYS, request -> Mono.just(YES)), call("+14155551212", other)));
        assertTrue(again.startsWith("forbidden: an operator (key 'approval-always via elicitation') denied this call"), again);
        assertEquals(2, questions.size(), "a recorded no is not asked again");
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void anOperatorsApprovalStandsAndSilenceLeavesTheApprovalPending() throws Exception {
        String key = "task-" + UUID.randomUUID();
        String silent = refusal(makeCall(client(ALWAYS, request -> Mono.never()), call("+14155551212", key)));
        assertTrue(silent.contains("stays pending: an operator may still approve it."), silent);
        String id = silent.replaceAll("(?s).*Approval (AP[0-9a-f]{32}) stays pending.*", "$1");
        given().header("Authorization", GuardedKeys.bearer("operator")).post("/v1/admin/approvals/" + id + "/approve")
                .then().statusCode(200);

        CallToolResult placed = makeCall(client(ALWAYS, request -> answer(ElicitResult.Action.DECLINE)), call("+14155551212", key));
        assertTrue(envelope(placed).contains("\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\""), placed.toString());
        assertEquals(1, questions.size(), "the operator's approval is not asked again");
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void newNumbersAsksOnlyForANumberTheKeyHasNotCalled() throws Exception {
        String to = "+1415555" + String.format("%04d", new Random().nextInt(10_000));
        CallToolResult first = makeCall(client("approval-new", request -> Mono.just(YES)), call(to, null));
        assertTrue(envelope(first).contains("\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\""), first.toString());
        assertEquals(1, questions.size());
        LedgerQuery calls = new LedgerQuery(null, "approval-new", null, to, null, null, 10, null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.list(calls).await().atMost(Duration.ofSeconds(5))
                .entries().stream().anyMatch(entry -> LedgerEntry.PLACED.equals(entry.outcome())));

        CallToolResult again = makeCall(client("approval-new", request -> answer(ElicitResult.Action.DECLINE)), call(to, null));
        assertTrue(envelope(again).contains("\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\""), again.toString());
        assertEquals(1, questions.size(), "a number called before is not asked about");
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aClientWithoutElicitationGetsPendingApproval() throws Exception {
        String pending = refusal(makeCall(client(ALWAYS, null), call("+14155551212", "task-" + UUID.randomUUID())));
        assertTrue(pending.startsWith("pending_approval: approval_id AP"), pending);
        String keyless = refusal(makeCall(client(ALWAYS, null), call("+14155551212", null)));
        assertTrue(keyless.startsWith("invalid_request: "), keyless);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theQuestionSummarisesInlineTwiml() throws Exception {
        String twiml = "<Response>\n  <Say>" + "Hello there. ".repeat(12) + "</Say>\n</Response>";
        Map<String, Object> arguments = new HashMap<>(call("+442071838750", null));
        arguments.remove("url");
        arguments.put("twiml", twiml);
        refusal(makeCall(client(ALWAYS, request -> answer(ElicitResult.Action.DECLINE)), arguments));
        String message = questions.get(0).message();
        String expected = ("<Response> <Say>" + "Hello there. ".repeat(12)).substring(0, 100) + "…";
        assertTrue(message.contains("to call ***8750 (GB) from +15017122661 with the TwiML " + expected + ". Nothing"), message);
    }
}
