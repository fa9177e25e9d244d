/**
 * The do-not-call list: numbers no make_call may dial, for any key or pass-through, shared by every replica through
 * Redis (keys hashed, never the number) or kept in memory (bounded).
 */
package dev.voicegate.dnc;
