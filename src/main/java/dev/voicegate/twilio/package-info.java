/**
 * The Twilio REST API as Voicegate uses it: the package-private declarative client ({@code TwilioRestClient}), the
 * public facade {@link dev.voicegate.twilio.TwilioClient} that runs every operation under its guard (retry, breaker,
 * per-attempt timeout) with a per-account lease, Twilio's wire records, and the {@link
 * dev.voicegate.twilio.TwilioException} family into which {@link dev.voicegate.twilio.TwilioFailures} maps every
 * failure once, at the edge. Knows nothing of actions or surfaces.
 */
package dev.voicegate.twilio;
