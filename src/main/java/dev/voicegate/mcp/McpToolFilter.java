package dev.voicegate.mcp;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code tools/list} shows a key only the tools its policy's {@code actions} allow, so an agent is not offered what
 * it may not do. The dispatcher's policy check still refuses any other tool with {@code forbidden}: this only trims
 * the list.
 */
@ApplicationScoped
public class McpToolFilter implements ToolFilter {

    private final CurrentVertxRequest request;

    McpToolFilter(CurrentVertxRequest request) {
        this.request = request;
    }

    @Override
    public boolean test(ToolInfo tool, FilterContext context) {
        RoutingContext http = request.getCurrent();
        Caller caller = http == null ? null : http.get(McpGate.CALLER);
        return caller == null || caller.allows(tool.name());
    }
}
