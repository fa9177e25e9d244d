package dev.voicegate.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.Sid;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioAccounts;

/**
 * Who may use Voicegate. A service API key ({@code Authorization: Bearer}) unlocks the server-side Twilio
 * credentials; with no keys configured nobody can use them, so a pod holding credentials is never an open
 * dialer. Alternatively a caller brings its own Twilio credentials as Basic auth.
 */
@ApplicationScoped
public class AccessControl {

    /** Twilio's secrets are 32 characters; anything with spaces, control or non-ASCII characters is not one. */
    private static final Pattern TWILIO_SECRET = Pattern.compile("^[\\x21-\\x7E]{1,128}$");

    private final List<byte[]> serviceKeyDigests;
    private final TwilioAccounts accounts;

    public AccessControl(VoicegateConfig config, TwilioAccounts accounts) {
        this.accounts = accounts;
        this.serviceKeyDigests = config.access().serviceApiKeys().orElse(List.of()).stream()
                .map(String::trim).filter(key -> !key.isEmpty()).map(AccessControl::sha256).toList();
    }

    /** The caller behind an {@code Authorization} header, or {@code unauthorized}. */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("send 'Authorization: Bearer <service API key>' or your own Twilio credentials as Basic auth");
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (serviceKeyDigests.isEmpty()) {
                throw unauthorized("this Voicegate has no service API keys configured (SERVICE_API_KEYS); "
                        + "send your own Twilio credentials as Basic auth");
            }
            if (!knownKey(value.substring(7).trim())) {
                throw unauthorized("the service API key is not valid");
            }
            return new Caller.ServiceKeyHolder(accounts);
        }
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return passThrough(value.substring(6).trim());
        }
        throw unauthorized("unsupported Authorization scheme; use Bearer or Basic");
    }

    private Caller passThrough(String encoded) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("the Basic credentials are not valid base64");
        }
        int colon = pair.indexOf(':');
        String username = colon < 0 ? "" : pair.substring(0, colon);
        if (!(Sid.ACCOUNT.matches(username) || Sid.API_KEY.matches(username))
                || !TWILIO_SECRET.matcher(pair.substring(colon + 1)).matches()) {
            throw unauthorized("Basic credentials must be 'AC…:<auth token>' or 'SK…:<API key secret>'");
        }
        return new Caller.PassThrough(username, pair.substring(colon + 1));
    }

    // Compares digests of equal length with MessageDigest.isEqual and checks every key: constant time.
    private boolean knownKey(String candidate) {
        byte[] digest = sha256(candidate);
        boolean found = false;
        for (byte[] key : serviceKeyDigests) {
            found |= MessageDigest.isEqual(digest, key);
        }
        return found;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static ActionException unauthorized(String message) {
        return new ActionException(new ActionFailure(ErrorCategory.UNAUTHORIZED, message + ". Retrying as is will not help."));
    }
}
