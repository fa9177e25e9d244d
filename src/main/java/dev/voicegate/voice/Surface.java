package dev.voicegate.voice;

import java.util.Locale;

/** Where a request came in: it changes nothing about what an action does, only how it is counted. */
public enum Surface {
    /** {@code POST /v1/actions/{action}}. */
    TOOL_CALL,
    /** {@code /v1/accounts/{account_sid}/…}. */
    REST,
    /** {@code /mcp}, the Model Context Protocol endpoint. */
    MCP;

    /** The metrics tag value, e.g. {@code tool_call}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
