package dev.voicegate.mcp;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.observability.RequestIds;
import dev.voicegate.registry.ActionCatalog;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.voice.Action;
import dev.voicegate.voice.ActionContext;
import dev.voicegate.voice.Surface;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkiverse.mcp.server.Progress;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolManager.ToolAnnotations;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The MCP tools: one per action of the registry, built from its catalog entry when the application starts, so a new
 * {@link Action} bean is a tool with no edit here. Name, title, description and hints come from the action; the input
 * schema is the catalog's (the contract file); the output schema is the catalog's, plus {@code next_page_token} for
 * an action that takes a {@code page_token}. A call runs through the one dispatcher, as the caller that
 * {@link McpGate} authenticated for this HTTP request, with the client's form elicitation, when it has one, as the
 * human an action may ask ({@link ElicitedConfirmation}).
 */
@ApplicationScoped
public class McpTools {

    // McpGate authenticates every request and reads every tool call's arguments: these are only backstops.
    private static final ActionFailure UNAUTHENTICATED = new ActionFailure(ErrorCategory.UNAUTHORIZED,
            "not authenticated. Retrying as is will not help.");
    private static final ActionFailure UNREADABLE = ActionFailure.invalid("the arguments could not be read");

    private final ToolManager tools;
    private final ActionDispatcher dispatcher;
    private final ActionCatalog catalog;
    private final ToolResults results;
    private final CurrentVertxRequest request;

    McpTools(ToolManager tools, ActionDispatcher dispatcher, ActionCatalog catalog, ToolResults results,
            CurrentVertxRequest request) {
        this.tools = tools;
        this.dispatcher = dispatcher;
        this.catalog = catalog;
        this.results = results;
        this.request = request;
    }

    void register(@Observes StartupEvent event) {
        for (ActionCatalog.Entry entry : catalog.catalog().actions()) {
            Action<?, ?> action = dispatcher.find(entry.name()).orElseThrow();
            boolean paged = entry.inputSchema().path("properties").has("page_token");
            JsonNode output = paged ? ToolResults.withNextPageToken(entry.outputSchema()) : entry.outputSchema();
            tools.newTool(action.name())
                    .setTitle(action.title())
                    .setDescription(action.description())
                    .setInputSchema(results.json(entry.inputSchema()))
                    .setOutputSchema(results.json(output))
                    .setAnnotations(new ToolAnnotations(action.title(), action.readOnly(), action.destructive(),
                            action.idempotent(), action.openWorld()))
                    .setAsyncHandler(arguments -> call(action, arguments, paged))
                    .register();
        }
    }

    private Uni<ToolResponse> call(Action<?, ?> action, ToolArguments arguments, boolean paged) {
        RoutingContext http = request.getCurrent();
        Caller caller = http == null ? null : http.get(McpGate.CALLER);
        Map<String, JsonNode> sent = http == null ? null : http.get(McpGate.ARGUMENTS);
        JsonNode params = sent == null ? null : sent.get(JsonRpcCheck.key(arguments.requestId().value()));
        if (caller == null || params == null) {
            ActionFailure refused = caller == null ? UNAUTHENTICATED : UNREADABLE;
            return Uni.createFrom().item(results.failure(action.failure(refused.error()), refused, paged));
        }
        MDC.put(RequestIds.MDC_KEY, http.get(McpGate.REQUEST_ID));
        Context trace = http.get(McpGate.TRACE);
        Scope scope = trace == null ? Scope.noop() : trace.makeCurrent();
        return dispatcher.invoke(action, params, caller, Surface.MCP, progress(arguments.progress()),
                ElicitedConfirmation.of(arguments.elicitation()))
                .map(result -> results.of(result, paged))
                .onTermination().invoke(scope::close);
    }

    /** With the client's {@code progressToken}: one {@code notifications/progress} per status of a followed call. */
    private static ActionContext.Progress progress(Progress progress) {
        if (progress == null || progress.token().isEmpty()) {
            return ActionContext.Progress.NONE;
        }
        AtomicLong step = new AtomicLong();
        return status -> progress.notificationBuilder().setProgress(step.incrementAndGet())
                .setMessage("call status: " + status).build().sendAndForget();
    }
}
