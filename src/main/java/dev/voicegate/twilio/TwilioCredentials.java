package dev.voicegate.twilio;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for one Twilio request: the account in the URL path, and the Basic-auth pair
 * (Account SID + Auth Token, or API Key SID + secret). Never logged: {@link #toString()} hides the secret.
 */
public record TwilioCredentials(String accountSid, String username, String secret) {

    /** The {@code Authorization} header value for this request. */
    public String basicAuthorization() {
        String pair = username + ":" + secret;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "TwilioCredentials[accountSid=" + accountSid + ", username=" + username + ", secret=***]";
    }
}
