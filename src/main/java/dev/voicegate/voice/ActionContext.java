package dev.voicegate.voice;

import dev.voicegate.access.Caller;
import dev.voicegate.quota.Allowance;
import dev.voicegate.twilio.TwilioCredentials;

/**
 * Everything an action may know about the request besides its input: who is calling, the Twilio credentials
 * resolved for the input's account, the surface it came in on, and the caller's quotas for this request.
 */
public record ActionContext(Caller caller, TwilioCredentials credentials, Surface surface, Allowance allowance) {
}
