/**
 * Approval before dialing: make_calls that a key's {@code approval} policy holds until an operator approves or
 * denies them, kept in memory or in Redis (shared by every replica).
 */
package dev.voicegate.approval;
