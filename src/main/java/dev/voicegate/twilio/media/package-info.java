/**
 * Recording audio, streamed from Twilio (and the storage it redirects to) on the Vert.x HTTP client with a pool per
 * event loop: an attempt holds one of the account's leases from its request to the last byte of its download, and
 * is retried only before the first byte. Uses the REST client's failure types and guards, and the limiter.
 */
package dev.voicegate.twilio.media;
