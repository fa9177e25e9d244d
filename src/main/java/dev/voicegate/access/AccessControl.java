package dev.voicegate.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.Sid;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;

/**
 * Who may use Voicegate. A service API key ({@code Authorization: Bearer}) unlocks the server-side Twilio
 * credentials under its key's policy; with no keys configured nobody can use them, so a pod holding credentials is
 * never an open dialer. Alternatively a caller brings its own Twilio credentials as Basic auth.
 * Keys are known only by their SHA-256: named keys ({@code voicegate.access.keys.<name>}) are configured that way,
 * the unnamed {@code SERVICE_API_KEYS} are hashed here and named by their position.
 */
@ApplicationScoped
public class AccessControl {

    /** Twilio's secrets are 32 characters; anything with spaces, control or non-ASCII characters is not one. */
    private static final Pattern TWILIO_SECRET = Pattern.compile("^[\\x21-\\x7E]{1,128}$");
    private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-fA-F]{64}$");

    /** A service key: its name, the SHA-256 of its secret, and its policy. */
    private record Key(String name, byte[] hash, Policy policy) {
    }

    private final List<Key> keys;
    private final Map<String, Policy> named = new java.util.LinkedHashMap<>();
    private final Policy passThroughPolicy;
    private final TwilioAccounts accounts;

    public AccessControl(VoicegateConfig config, TwilioAccounts accounts) {
        this.accounts = accounts;
        List<Key> known = new ArrayList<>();
        // Malformed hashes are left out here; ConfigCheck stops the start-up on them.
        for (Map.Entry<String, VoicegateConfig.Key> key : config.access().keys().entrySet()) {
            key.getValue().secretSha256().filter(hex -> SHA256_HEX.matcher(hex).matches()).ifPresent(hex -> known.add(
                    new Key(key.getKey(), HexFormat.of().parseHex(hex), Policy.forKey(key.getKey(), key.getValue(),
                            config.policy()))));
        }
        List<String> unnamed = config.access().serviceApiKeys().orElse(List.of()).stream()
                .map(String::trim).filter(key -> !key.isEmpty()).toList();
        for (int i = 0; i < unnamed.size(); i++) {
            String name = "SERVICE_API_KEYS[" + (i + 1) + "]";
            known.add(new Key(name, sha256(unnamed.get(i)), Policy.defaults("service key " + name, config.policy())));
        }
        this.keys = List.copyOf(known);
        config.access().keys().forEach((name, key) -> named.put(name, Policy.forKey(name, key, config.policy())));
        this.passThroughPolicy = Policy.defaults("the Basic-auth credentials", config.policy());
    }

    /** Every configured named key ({@code voicegate.access.keys.<name>}) with its policy, in configuration order. */
    public Map<String, Policy> namedKeys() {
        return java.util.Collections.unmodifiableMap(named);
    }

    /**
     * The caller of a configured key, by its name (a console session carries the name, never the secret), or empty
     * when no key has that name any more.
     */
    public java.util.Optional<Caller> byName(String name) {
        return keys.stream().filter(key -> key.name().equals(name)).findFirst()
                .map(key -> new Caller.ServiceKeyHolder(key.name(), key.policy(), accounts));
    }

    /** The caller behind an {@code Authorization} header, or {@code unauthorized}. */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("send 'Authorization: Bearer <service API key>' or your own Twilio credentials as Basic auth");
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (keys.isEmpty()) {
                throw unauthorized("this Voicegate has no service API keys configured (SERVICE_API_KEYS); "
                        + "send your own Twilio credentials as Basic auth");
            }
            Key key = match(value.substring(7).trim());
            if (key == null) {
                throw unauthorized("the service API key is not valid");
            }
            return new Caller.ServiceKeyHolder(key.name(), key.policy(), accounts);
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
        return new Caller.PassThrough(username, pair.substring(colon + 1), passThroughPolicy);
    }

    // Compares digests of equal length with MessageDigest.isEqual and checks every key: the time does not
    // depend on how much of a secret was right, nor on which key matched.
    private Key match(String candidate) {
        byte[] digest = sha256(candidate);
        Key found = null;
        for (Key key : keys) {
            boolean equal = MessageDigest.isEqual(digest, key.hash());
            found = equal ? key : found;
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
