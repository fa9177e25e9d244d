package dev.voicegate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.mcp.McpToolExecutor;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.voicegate.registry.ActionCatalog;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A Java agent framework on the MCP server: LangChain4j's MCP client (Streamable HTTP, the service key as a bearer
 * header) lists Voicegate's tools, and an {@link AiServices} agent with its {@link McpToolProvider} calls them through
 * {@link McpToolExecutor} against the embedded sandbox. The "model" is a script (no LLM): it asks for make_call, then
 * get_call on the SID it was given, then answers. docs/mcp.md#use-it-from-langchain4j shows the same code.
 */
@QuarkusTest
@TestProfile(SandboxEndToEndTest.RunCommandProfile.class)
class LangChain4jMcpTest {

    static final String ACCOUNT = SandboxEndToEndTest.ACCOUNT;
    static final String FROM = "+15005550006";

    /** The agent: one user message in, the model's last answer and the tool calls it made out. */
    interface Operator {
        Result<String> chat(String request);
    }

    /**
     * A chat model that plays a fixed script: each step sees the conversation so far (so it can read the last tool
     * result) and answers with tool requests or text. It records every request it got.
     */
    static final class ScriptedModel implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();
        private final Iterator<Function<List<ChatMessage>, AiMessage>> steps;

        @SafeVarargs
        ScriptedModel(Function<List<ChatMessage>, AiMessage>... steps) {
            this.steps = List.of(steps).iterator();
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            return ChatResponse.builder().aiMessage(steps.next().apply(request.messages())).build();
        }
    }

    final ObjectMapper json = new ObjectMapper();

    @TestHTTPResource("/mcp")
    URL mcp;

    @Inject
    ActionCatalog catalog;

    @Inject
    SandboxStore sandbox;

    McpClient client;

    @BeforeEach
    void connect() {
        // What docs/mcp.md#use-it-from-langchain4j shows, on the test's port.
        McpTransport transport = StreamableHttpMcpTransport.builder()
                .url(mcp.toString())
                .customHeaders(Map.of("Authorization", "Bearer sandbox-service-key"))
                .timeout(Duration.ofSeconds(30))
                .build();
        client = DefaultMcpClient.builder().key("voicegate").transport(transport).build();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    Operator operator(ChatModel model) {
        return AiServices.builder(Operator.class)
                .chatModel(model)
                .toolProvider(McpToolProvider.builder().mcpClients(client).build())
                .build();
    }

    static AiMessage call(String tool, String id, String arguments) {
        return AiMessage.from(ToolExecutionRequest.builder().id(id).name(tool).arguments(arguments).build());
    }

    /** The text of the last tool result in the conversation. */
    static String lastToolResult(List<ChatMessage> messages) {
        return ((ToolExecutionResultMessage) messages.get(messages.size() - 1)).text();
    }

    JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void listsExactlyTheRegistrysToolsWithTheirInputSchemas() {
        // The sandbox's key has no policy naming add_do_not_call, so the server does not offer it (McpToolFilter).
        List<ActionCatalog.Entry> offered = catalog.catalog().actions().stream()
                .filter(entry -> !entry.name().equals("add_do_not_call")).toList();

        List<ToolSpecification> tools = client.listTools();

        assertEquals(offered.stream().map(ActionCatalog.Entry::name).toList(), tools.stream().map(ToolSpecification::name).toList());
        for (int i = 0; i < tools.size(); i++) {
            ToolSpecification tool = tools.get(i);
            JsonNode schema = offered.get(i).inputSchema();
            assertEquals(offered.get(i).description(), tool.description(), tool.name());
            assertEquals(names(schema.get("properties").fieldNames()), new TreeSet<>(tool.parameters().properties().keySet()),
                    tool.name() + " parameters");
            assertEquals(names(schema.get("required").elements()), new TreeSet<>(tool.parameters().required()),
                    tool.name() + " required parameters");
        }
        assertEquals(Set.of("to", "from_", "account_sid"), Set.copyOf(tools.get(0).parameters().required()), "make_call");

        // What an AiServices agent is given: the same tools, each run by LangChain4j's MCP tool executor.
        ToolProviderResult provided = McpToolProvider.builder().mcpClients(client).build()
                .provideTools(new ToolProviderRequest("memory", dev.langchain4j.data.message.UserMessage.from("hi")));
        assertEquals(Set.copyOf(tools), provided.tools().keySet());
        provided.tools().values().forEach(executor -> assertInstanceOf(McpToolExecutor.class, executor));
    }

    static Set<String> names(Iterator<?> items) {
        Set<String> names = new TreeSet<>();
        items.forEachRemaining(item -> names.add(item instanceof JsonNode node ? node.textValue() : item.toString()));
        return names;
    }

    @Test
    void anAgentPlacesACallOnTheSandboxThenFollowsItThroughTheToolExecutor() {
        String to = "+14155550160";
        ScriptedModel model = new ScriptedModel(
                conversation -> call("make_call", "1", "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + to
                        + "\",\"from_\":\"" + FROM + "\",\"twiml\":\"<Response><Say>Hello from LangChain4j</Say></Response>\"}"),
                conversation -> call("get_call", "2", "{\"account_sid\":\"" + ACCOUNT + "\",\"call_sid\":\""
                        + read(lastToolResult(conversation)).get("call_sid").textValue() + "\"}"),
                conversation -> AiMessage.from("The call is " + read(lastToolResult(conversation)).get("status").textValue()));

        Result<String> answer = operator(model).chat("Call " + to + " and tell me how it is going.");

        List<ToolExecution> executions = answer.toolExecutions();
        assertEquals(List.of("make_call", "get_call"), executions.stream().map(e -> e.request().name()).toList());
        executions.forEach(execution -> assertFalse(execution.hasFailed(), execution.toString()));
        JsonNode placed = read(executions.get(0).result());
        assertTrue(placed.get("success").booleanValue(), placed.toString());
        String callSid = placed.get("call_sid").textValue();
        // The sandbox's own record of the call: placed once, to the number the agent asked for.
        SandboxCall call = sandbox.call(callSid).orElseThrow();
        assertEquals(List.of(to, FROM), List.of(call.to(), call.from()));

        JsonNode followed = read(executions.get(1).result());
        assertEquals(callSid, followed.get("call_sid").textValue(), followed.toString());
        assertEquals("The call is " + followed.get("status").textValue(), answer.content());
        // The model was offered Voicegate's tools on every turn, and saw each result as the tool's message.
        assertEquals(3, model.requests.size());
        assertEquals(Set.copyOf(client.listTools()), Set.copyOf(model.requests.get(0).toolSpecifications()));
        ToolExecutionResultMessage seen = (ToolExecutionResultMessage) model.requests.get(1).messages().get(2);
        assertEquals(List.of("1", "make_call"), List.of(seen.id(), seen.toolName()));
        assertEquals(placed, read(seen.text()));
    }

    @Test
    void aRefusedCallReachesTheModelAsTheEnvelopesErrorNotAsAnException() {
        int before = sandbox.size();
        ScriptedModel model = new ScriptedModel(
                conversation -> call("make_call", "1", "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"not a number\","
                        + "\"from_\":\"" + FROM + "\",\"url\":\"https://example.com/t\"}"),
                conversation -> AiMessage.from(read(lastToolResult(conversation)).get("error").textValue()));

        Result<String> answer = operator(model).chat("Call not a number.");

        ToolExecutionResultMessage seen = (ToolExecutionResultMessage) model.requests.get(1).messages().get(2);
        JsonNode envelope = read(seen.text());
        assertFalse(envelope.get("success").booleanValue(), envelope.toString());
        String error = envelope.get("error").textValue();
        assertTrue(error.startsWith("invalid_request: ") && error.contains("to"), error);
        assertEquals(error, answer.content());
        assertEquals(before, sandbox.size(), "nothing was placed");
    }
}
