/**
 * Idempotency keys of make_call: the store (in memory, or Redis shared by every replica), the stored record and
 * request fingerprints.
 */
package dev.voicegate.idempotency;
