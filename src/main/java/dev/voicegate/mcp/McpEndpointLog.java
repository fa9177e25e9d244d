package dev.voicegate.mcp;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * The MCP extension logs its endpoints at start-up as {@code [streamable: …/mcp, SSE: …/mcp/sse]}, but the legacy
 * HTTP+SSE transport is off here ({@link McpGate} answers 404 there), and quarkus-mcp-server 1.13.0 logs that path
 * whatever the configuration. This console filter ({@code quarkus.log.console.filter}) rewrites that one line so that
 * it names only the endpoint that is served; every other record passes unchanged.
 */
@LoggingFilter(name = "mcp-endpoints")
public final class McpEndpointLog implements Filter {

    static final String EXTENSION_FORMAT = "MCP%s HTTP transport endpoints [streamable: %s, SSE: %s]";
    static final String FORMAT = "MCP%s HTTP transport endpoint: %s (Streamable HTTP; the legacy SSE transport is off)";

    @Override
    public boolean isLoggable(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (record instanceof ExtLogRecord ext && EXTENSION_FORMAT.equals(ext.getMessage()) && parameters != null
                && parameters.length == 3) {
            ext.setParameters(new Object[] { parameters[0], parameters[1] });
            ext.setMessage(FORMAT, ExtLogRecord.FormatStyle.PRINTF);
        }
        return true;
    }
}
