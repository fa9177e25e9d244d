/**
 * Per-key call and request quotas, as sliding windows: in memory, or in Redis with one Lua script per decision.
 */
package dev.voicegate.quota;
