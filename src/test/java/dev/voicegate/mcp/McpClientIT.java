package dev.voicegate.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import reactor.core.publisher.Flux;

/**
 * The packaged application driven by the official MCP Java SDK client (Streamable HTTP, a service key in every
 * request): initialize, tools/list, a call of every tool, and 40 concurrent list_calls on one session within the
 * per-account bound. The SDK brings Jackson 3, Reactor and its own schema validator, in test scope only: the
 * packaged application holds none of them, and its outputs still validate with the project's ContractSchemas.
 */
@QuarkusIntegrationTest
@WithTestResource(McpClientIT.FourSlots.class)
class McpClientIT {

    static final int SLOTS = 4;
    static final int CONCURRENT = 40;
    static final String RE = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";

    /** Twilio, with a small per-account bound and timeouts long enough for the queue behind it. */
    public static class FourSlots extends WireMockTwilio {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            config.put("voicegate.upstream.max-concurrent-per-account", String.valueOf(SLOTS));
            config.put("voicegate.upstream.max-queue-wait", "8s");
            // The burst is meant to queue within the bound, not to be shed at the door (UpstreamLimitTest sheds).
            config.put("voicegate.upstream.max-admission-wait", "8s");
            // This replica's own bound only: the suite's Redis may still hold leases of the same account from services
            // stopped by other tests, until they expire (SharedBudgetIT covers the shared budget).
            config.put("voicegate.upstream.shared-budget", "false");
            // The packaged app may be handed the Redis of an IT that ran before (quarkus.redis.hosts), stopped by then:
            // this test is about MCP, so the do-not-call list lets its make_call through unchecked rather than refusing
            // it as unreachable (its fail-closed default is DoNotCallApiTest's and RedisDoNotCallTest's to check).
            config.put("voicegate.do-not-call.fail-closed", "false");
            config.put("voicegate.twilio.timeout-ms", "10000");
            return config;
        }
    }

    final ObjectMapper json = new ObjectMapper();

    @InjectWireMock
    WireMockServer twilio;

    McpSyncClient client;

    static HttpClientStreamableHttpTransport transport() {
        String base = ConfigProvider.getConfig().getValue("test.url", String.class);
        return HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)))
                .build();
    }

    @BeforeEach
    void connect() {
        TwilioStubs.reset(twilio);
        client = McpClient.sync(transport()).requestTimeout(Duration.ofSeconds(30)).build();
        assertEquals("voicegate", client.initialize().serverInfo().name());
    }

    @AfterEach
    void close() {
        client.closeGracefully();
    }

    /** The result's envelope, checked with the project's own validator against the contract. */
    String envelope(String tool, CallToolResult result) throws IOException {
        assertFalse(Boolean.TRUE.equals(result.isError()), result.toString());
        String structured = json.writeValueAsString(result.structuredContent());
        assertEquals(json.readTree(structured), json.readTree(((TextContent) result.content().get(0)).text()));
        Map<?, ?> withoutToken = new HashMap<>((Map<?, ?>) result.structuredContent());
        withoutToken.remove("next_page_token");
        ContractSchemas.assertValidOutput(tool, json.writeValueAsString(withoutToken));
        return structured;
    }

    @Test
    void listsTheToolsAndCallsEachOne() throws IOException {
        List<Tool> tools = client.listTools().tools();
        assertEquals(List.of("make_call", "list_calls", "get_recording", "get_call", "end_call"), tools.stream().map(Tool::name).toList());
        for (Tool tool : tools) {
            assertEquals(json.readTree(ContractSchemas.schemaText(tool.name() + ".input")), json.valueToTree(tool.inputSchema()));
            assertTrue(tool.outputSchema() != null && tool.title() != null, tool.name());
        }

        twilio.stubFor(post(urlEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(201, "call-created.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(200, "calls-page-last.json")));
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json")).willReturn(fixture(200, "call-recordings.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Recordings/" + RE + ".json")).willReturn(fixture(200, "recording.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls/CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1.json")).willReturn(fixture(200, "call.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Recordings/" + RE + "/Transcriptions.json"))
                .willReturn(fixture(200, "transcriptions.json")));

        assertTrue(envelope("make_call", client.callTool(new CallToolRequest("make_call", Map.of("account_sid",
                TestAccounts.ACCOUNT_SID, "to", "+14155551212", "from_", "+15017122661", "url", "https://example.com/t"))))
                .contains("\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\""));
        assertTrue(envelope("list_calls", client.callTool(new CallToolRequest("list_calls", Map.of("account_sid",
                TestAccounts.ACCOUNT_SID)))).contains("\"next_page_token\":null"));
        assertTrue(envelope("get_recording", client.callTool(new CallToolRequest("get_recording", Map.of("account_sid",
                TestAccounts.ACCOUNT_SID, "recording_sid", RE)))).contains("\"recording_sid\":\"" + RE + "\""));
        assertTrue(envelope("get_call", client.callTool(new CallToolRequest("get_call", Map.of("account_sid",
                TestAccounts.ACCOUNT_SID, "call_sid", "CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1")))).contains("\"final\":true"));

        CallToolResult refused = client.callTool(new CallToolRequest("make_call", Map.of("account_sid", TestAccounts.ACCOUNT_SID)));
        assertTrue(refused.isError());
        assertTrue(((TextContent) refused.content().get(0)).text().startsWith("invalid_request: "), refused.toString());
    }

    @Test
    void fortyConcurrentCallsOnOneSessionAreAllAnsweredWithinThePerAccountBound() throws IOException {
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(200, "calls-page-last.json").withFixedDelay(100)));
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json"))
                .willReturn(fixture(200, "call-recordings.json").withFixedDelay(100)));
        McpAsyncClient async = McpClient.async(transport()).requestTimeout(Duration.ofSeconds(60)).build();
        try {
            async.initialize().block(Duration.ofSeconds(30));
            CallToolRequest list = new CallToolRequest("list_calls", Map.of("account_sid", TestAccounts.ACCOUNT_SID));
            List<CallToolResult> results = Flux.range(0, CONCURRENT).flatMap(i -> async.callTool(list), CONCURRENT)
                    .collectList().block(Duration.ofSeconds(90));

            assertEquals(CONCURRENT, results.size());
            for (CallToolResult result : results) {
                assertTrue(envelope("list_calls", result).contains("\"call_sid\":\"CAd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4\""));
            }
        } finally {
            async.closeGracefully().block(Duration.ofSeconds(10));
        }
        List<ServeEvent> served = twilio.getAllServeEvents();
        // One calls page and one recordings lookup per call; besides them, the list_calls that found the account
        // with room (fewer than half of its slots held) also read its recordings list beside the calls page
        // (unanswered here): how many did depends on timing, never more than one each.
        long callsPages = requestsTo(served, ACCOUNT + "/Calls\\.json\\?.*");
        long lookups = requestsTo(served, ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json.*");
        long besideTheCallsPage = requestsTo(served, ACCOUNT + "/Recordings\\.json\\?.*");
        assertEquals(CONCURRENT, callsPages);
        assertEquals(CONCURRENT, lookups);
        assertTrue(besideTheCallsPage <= CONCURRENT, "at most one account recordings read per list_calls");
        assertEquals(served.size(), callsPages + lookups + besideTheCallsPage, "nothing else reached Twilio");
        int overlap = maxOverlap(served);
        assertTrue(overlap <= SLOTS, "at most " + SLOTS + " Twilio requests in flight, saw " + overlap);
        assertTrue(overlap > 1, "the calls still run in parallel, max overlap was " + overlap);
    }

    /**
     * The application as packaged holds no Jackson 3, Reactor, MCP SDK or second schema validator, and nothing of
     * LangChain4j's client (sandbox/LangChain4jMcpTest): no LangChain4j, OkHttp or Kotlin.
     */
    @Test
    void theClientsLibrariesStayInTestScope() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(Path.of("target/quarkus-app/lib/main"))) {
            jars = files.map(file -> file.getFileName().toString()).toList();
        }
        assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("com.fasterxml.jackson.core.jackson-databind-2.")), jars.toString());
        for (String foreign : List.of("tools.jackson", "io.projectreactor", "io.modelcontextprotocol", "com.networknt",
                "dev.langchain4j", "com.squareup", "org.jetbrains.kotlin")) {
            assertTrue(jars.stream().noneMatch(jar -> jar.startsWith(foreign)), foreign + " in " + jars);
        }
    }

    /** The requests whose URL (path and query) matches {@code urlRegex}. */
    static long requestsTo(List<ServeEvent> served, String urlRegex) {
        return served.stream().filter(event -> event.getRequest().getUrl().matches(urlRegex)).count();
    }

    /** The most Twilio requests in flight at once, from WireMock's timings. */
    static int maxOverlap(List<ServeEvent> events) {
        List<long[]> edges = new ArrayList<>();
        for (ServeEvent event : events) {
            long start = event.getRequest().getLoggedDate().getTime();
            edges.add(new long[] { start, +1 });
            edges.add(new long[] { start + event.getTiming().getTotalTime() - 1, -1 });
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int max = 0;
        for (long[] edge : edges) {
            current += (int) edge[1];
            max = Math.max(max, current);
        }
        return max;
    }
}
