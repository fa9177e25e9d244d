package dev.voicegate.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import dev.voicegate.Sid;

/**
 * Twilio's HTTP Basic check: the username is the account SID of the path (or an API key SID, {@code SK…}) and
 * the password that account's Auth Token. Credentials are compared, never logged.
 */
final class SandboxAuth {

    private static final String BASIC = "Basic ";

    private final String accountSid;
    private final byte[] authToken;

    SandboxAuth(String accountSid, String authToken) {
        this.accountSid = accountSid;
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param authorization the request's {@code Authorization} header, possibly null
     * @param pathAccountSid the {@code {AccountSid}} of the requested path
     */
    boolean accepts(String authorization, String pathAccountSid) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String username = decoded.substring(0, colon);
        byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        boolean knownUser = accountSid.equals(pathAccountSid)
                && (username.equals(pathAccountSid) || Sid.API_KEY.matches(username));
        // Constant-time, and evaluated even for an unknown user, so timing reveals nothing about the token.
        boolean tokenMatches = MessageDigest.isEqual(password, authToken);
        return knownUser & tokenMatches;
    }
}
