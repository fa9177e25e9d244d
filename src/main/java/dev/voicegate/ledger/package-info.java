/**
 * The call ledger: one entry per call Voicegate placed or attempted, with the key that asked and the timeline of its
 * status events (callbacks, fetches, updates). In memory, or in Redis shared by every replica. Below {@code voice}:
 * it knows nothing of actions or Twilio's wire.
 */
package dev.voicegate.ledger;
