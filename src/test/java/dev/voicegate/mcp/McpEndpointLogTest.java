package dev.voicegate.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

/** The start-up line names only the Streamable HTTP endpoint: /mcp/sse answers 404, so it is not advertised. */
class McpEndpointLogTest {

    @Test
    void theExtensionsEndpointLineNamesOnlyWhatIsServed() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, McpEndpointLog.EXTENSION_FORMAT,
                ExtLogRecord.FormatStyle.PRINTF, McpEndpointLogTest.class.getName());
        record.setParameters(new Object[] { "", "http://0.0.0.0:8080/mcp", "http://0.0.0.0:8080/mcp/sse" });

        assertTrue(new McpEndpointLog().isLoggable(record));

        assertEquals("MCP HTTP transport endpoint: http://0.0.0.0:8080/mcp (Streamable HTTP; the legacy SSE "
                + "transport is off)", record.getFormattedMessage());
    }

    @Test
    void everyOtherRecordPassesUnchanged() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "started in %ss", ExtLogRecord.FormatStyle.PRINTF,
                McpEndpointLogTest.class.getName());
        record.setParameters(new Object[] { "1.2" });

        assertTrue(new McpEndpointLog().isLoggable(record));

        assertEquals("started in 1.2s", record.getFormattedMessage());
    }
}
