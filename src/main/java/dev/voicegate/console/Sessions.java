package dev.voicegate.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

import dev.voicegate.config.VoicegateConfig;

/**
 * Signed, expiring session cookies, and the CSRF tokens derived from them. A cookie is
 * {@code base64url(key).expiry.id.base64url(HMAC-SHA256)}: nothing is stored on the server, so any replica with the
 * same secret ({@code CONSOLE_SESSION_SECRET}) accepts it. Without a configured secret one is drawn at start.
 */
@ApplicationScoped
class Sessions {

    static final String COOKIE = "vg_console";
    /** The sign-in form's own CSRF nonce, before there is a session (double submit). */
    static final String PRE_COOKIE = "vg_console_pre";
    static final String PATH = "/console";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec secret;
    private final Duration ttl;
    private final boolean secure;
    private final Clock clock;

    @Inject
    Sessions(VoicegateConfig config, Clock clock) {
        this(config.console().sessionSecret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> random(32)),
                config.console().sessionTtl(),
                config.callbacks().publicUrl().map(url -> url.regionMatches(true, 0, "https:", 0, 6)).orElse(false), clock);
    }

    Sessions(byte[] secret, Duration ttl, boolean secure, Clock clock) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
        this.ttl = ttl;
        this.secure = secure;
        this.clock = clock;
    }

    /** A new session of this key, as the cookie's value. */
    String open(String key) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String unsigned = B64.encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "." + expires + "." + nonce();
        return unsigned + "." + sign("session\n" + unsigned);
    }

    /** The session of a cookie's value, when it is well formed, signed by us and not expired. */
    Optional<Session> read(String value) {
        if (value == null || value.length() > 512) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        String unsigned = parts[0] + "." + parts[1] + "." + parts[2];
        if (!equal(sign("session\n" + unsigned), parts[3])) {
            return Optional.empty();
        }
        try {
            long expires = Long.parseLong(parts[1]);
            if (clock.instant().getEpochSecond() >= expires) {
                return Optional.empty();
            }
            return Optional.of(new Session(new String(UNB64.decode(parts[0]), StandardCharsets.UTF_8), expires, parts[2]));
        } catch (IllegalArgumentException e) { // a signed value is always well formed: only a changed secret lands here
            return Optional.empty();
        }
    }

    /** The CSRF token of a session's forms. */
    String csrf(Session session) {
        return sign("csrf\n" + session.id());
    }

    /** The CSRF token of the sign-in form, bound to its nonce cookie. */
    String preCsrf(String nonce) {
        return sign("sign-in\n" + nonce);
    }

    static boolean equal(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    NewCookie sessionCookie(String value) {
        return cookie(COOKIE, value, PATH, (int) ttl.toSeconds());
    }

    NewCookie preCookie(String nonce) {
        return cookie(PRE_COOKIE, nonce, PATH + "/sign-in", 3600);
    }

    /** Ends a cookie in the browser. */
    NewCookie expired(String name) {
        return cookie(name, "", PRE_COOKIE.equals(name) ? PATH + "/sign-in" : PATH, 0);
    }

    private NewCookie cookie(String name, String value, String path, int maxAge) {
        return new NewCookie.Builder(name).value(value).path(path).maxAge(maxAge).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    static String nonce() {
        return B64.encodeToString(random(18));
    }

    private String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return B64.encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }
}
