package dev.voicegate.mcp;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code tools/list} shows a key only the tools its policy's {@code actions} allow, so an agent is not offered what
 * it may not do. This only trims the list: a {@code tools/call} of a tool the key may not use passes, so that the
 * dispatcher's policy check refuses it as on {@code /v1} ({@code forbidden}, naming the rule, with the audit line)
 * rather than the extension answering a bare "Invalid tool name".
 */
@ApplicationScoped
public class McpToolFilter implements ToolFilter {

    private final CurrentVertxRequest request;

    McpToolFilter(CurrentVertxRequest request) {
        this.request = request;
    }

    @Override
    public boolean test(ToolInfo tool, FilterContext context) {
        if (context.method() == McpMethod.TOOLS_CALL) {
            return true;
        }
        RoutingContext http = request.getCurrent();
        Caller caller = http == null ? null : http.get(McpGate.CALLER);
        return caller == null || caller.allows(tool.name());
    }
}
