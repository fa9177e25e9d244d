package dev.voicegate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** Session cookies: signed, expiring, bound to their secret; the cookie's flags; CSRF tokens per session. */
class SessionsTest {

    static final byte[] SECRET = "a-console-secret-of-32-characters!".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-12-05T03:00:00Z");

    static Sessions at(Instant now, byte[] secret, boolean secure) {
        return new Sessions(secret, Duration.ofHours(8), secure, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSessionReadsBackUntilItExpires() {
        String cookie = at(NOW, SECRET, false).open("ops.team-1");
        Session session = at(NOW.plusSeconds(3600), SECRET, false).read(cookie).orElseThrow();
        assertEquals("ops.team-1", session.key());
        assertEquals(NOW.plus(Duration.ofHours(8)).getEpochSecond(), session.expiresAt());
        assertTrue(at(NOW.plus(Duration.ofHours(8)), SECRET, false).read(cookie).isEmpty(), "expired");
    }

    @Test
    void anotherSecretOrAChangedCookieIsNotASession() {
        Sessions sessions = at(NOW, SECRET, false);
        String cookie = sessions.open("operator");
        assertTrue(at(NOW, "another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8), false).read(cookie).isEmpty());
        String[] parts = cookie.split("\\.");
        String longer = parts[0] + "." + (Long.parseLong(parts[1]) + 86400) + "." + parts[2] + "." + parts[3];
        assertTrue(sessions.read(longer).isEmpty(), "a later expiry without a new signature");
        String otherKey = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + "." + parts[2] + "." + parts[3];
        assertTrue(sessions.read(otherKey).isEmpty(), "another key's name");
        for (String junk : new String[] {"", ".", "a.b.c.d", "x".repeat(600), cookie + ".x"}) {
            assertTrue(sessions.read(junk).isEmpty(), junk);
        }
    }

    @Test
    void csrfTokensDifferPerSessionAndFromTheSignInForms() {
        Sessions sessions = at(NOW, SECRET, false);
        Session one = sessions.read(sessions.open("operator")).orElseThrow();
        Session two = sessions.read(sessions.open("operator")).orElseThrow();
        assertNotEquals(sessions.csrf(one), sessions.csrf(two));
        assertEquals(sessions.csrf(one), sessions.csrf(one));
        assertNotEquals(sessions.preCsrf(one.id()), sessions.csrf(one));
        assertFalse(Sessions.equal(sessions.csrf(one), null));
    }

    @Test
    void theCookieIsSecureWhenThePublicUrlIsHttps() {
        assertTrue(at(NOW, SECRET, true).sessionCookie("v").isSecure());
        assertFalse(at(NOW, SECRET, false).sessionCookie("v").isSecure());
        var cookie = at(NOW, SECRET, true).sessionCookie("v");
        assertTrue(cookie.isHttpOnly());
        assertEquals(jakarta.ws.rs.core.NewCookie.SameSite.STRICT, cookie.getSameSite());
        assertEquals("/console", cookie.getPath());
        assertEquals(8 * 3600, cookie.getMaxAge());
    }
}
