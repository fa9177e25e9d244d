/**
 * Twilio's status and recording callbacks (a surface: Twilio calls it, nothing depends on it). The receiver checks
 * {@code X-Twilio-Signature} against the configured public URL and answers at once; the events then go into the
 * ledger off the request, and the caller's own callbacks are relayed to it, signed for its URL, through the
 * outbound address guard.
 */
package dev.voicegate.callback;
