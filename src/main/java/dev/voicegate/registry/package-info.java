/**
 * The actions as every surface sees them: the registry and dispatcher ({@link dev.voicegate.registry.ActionDispatcher}:
 * strict parsing, validation, policy, quota, then the action), the catalog of their JSON Schemas, and the failure
 * envelope. Shared by the HTTP and MCP surfaces, so that neither depends on the other; depends on neither.
 */
package dev.voicegate.registry;
