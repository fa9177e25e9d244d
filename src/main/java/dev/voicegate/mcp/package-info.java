/**
 * The MCP surface at {@code /mcp}, beside {@code api}: the same actions as tools, the authentication gate, the
 * per-key tool list and the JSON-RPC checks. Every {@code tools/call} goes through {@code registry}'s dispatcher.
 */
package dev.voicegate.mcp;
