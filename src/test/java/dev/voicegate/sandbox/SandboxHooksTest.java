package dev.voicegate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.voicegate.sandbox.SandboxHooks.Event;
import io.vertx.core.MultiMap;

/** Which callbacks a sandbox call asked for, read as Twilio reads them, and only ever to loopback. */
class SandboxHooksTest {

    @ParameterizedTest
    @ValueSource(strings = { "localhost", "LocalHost", "127.0.0.1", "127.255.0.9", "[::1]", "[0:0:0:0:0:0:0:1]",
            "[::ffff:127.0.0.1]" })
    void loopbackLiterals(String host) {
        assertTrue(SandboxHooks.isLoopback(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0.0.0.0", "10.0.0.1", "169.254.169.254", "192.168.1.1", "128.0.0.1", "127.0.0.256",
            "[::]", "[fe80::1]", "[fc00::1]", "[::ffff:10.0.0.1]", "example.com", "localhost.", "localhost.example.com",
            "127.0.0.1.nip.io", "127.1", "2130706433", "[not-an-address]", "" })
    void everythingElseIsNot(String host) {
        // Nothing here is resolved: a name is loopback only when it is "localhost" itself.
        assertFalse(SandboxHooks.isLoopback(host), host);
    }

    @Test
    void repeatedEventsAreKeptAndTheFragmentDropped() {
        SandboxHooks hooks = SandboxHooks.of(form("StatusCallback", "http://127.0.0.1:9/s?x=1#rc=2",
                "StatusCallbackEvent", "ringing", "StatusCallbackEvent", "completed", "StatusCallbackMethod", "get"));
        assertEquals(new SandboxHooks.Target("http://127.0.0.1:9/s?x=1", true), hooks.status());
        assertEquals(EnumSet.of(Event.RINGING, Event.COMPLETED), hooks.events());
        assertTrue(hooks.explicit());
        assertNull(hooks.recording(), "not recorded");
    }

    @Test
    void withoutEventsOnlyCompletedByPost() {
        SandboxHooks hooks = SandboxHooks.of(form("StatusCallback", "https://localhost/s"));
        assertEquals(new SandboxHooks.Target("https://localhost/s", false), hooks.status());
        assertEquals(EnumSet.of(Event.COMPLETED), hooks.events());
        assertFalse(hooks.explicit());
    }

    @Test
    void aJoinedValueOrAnUnknownEventMeansNoCallbacksAtAll() {
        for (String value : new String[] { "initiated ringing", "[\"initiated\",\"ringing\"]", "Completed" }) {
            SandboxHooks hooks = SandboxHooks.of(form("StatusCallback", "http://127.0.0.1:9/s",
                    "StatusCallbackEvent", "initiated", "StatusCallbackEvent", value,
                    "Record", "true", "RecordingStatusCallback", "http://127.0.0.1:9/r"));
            assertFalse(hooks.any(), value);
        }
    }

    @Test
    void theRecordingCallbackNeedsRecordAndItsCompletedEvent() {
        String url = "http://[::1]:9/r";
        assertEquals(new SandboxHooks.Target(url, false),
                SandboxHooks.of(form("Record", "true", "RecordingStatusCallback", url)).recording());
        assertEquals(new SandboxHooks.Target(url, true), SandboxHooks.of(form("Record", "true",
                "RecordingStatusCallback", url, "RecordingStatusCallbackMethod", "GET",
                "RecordingStatusCallbackEvent", "in-progress completed")).recording());
        assertNull(SandboxHooks.of(form("Record", "true", "RecordingStatusCallback", url,
                "RecordingStatusCallbackEvent", "in-progress")).recording());
        assertNull(SandboxHooks.of(form("RecordingStatusCallback", url)).recording());
    }

    @Test
    void nonLoopbackOrNonHttpTargetsAndApplicationsAreDropped() {
        assertFalse(SandboxHooks.of(form("StatusCallback", "http://169.254.169.254/latest/meta-data",
                "Record", "true", "RecordingStatusCallback", "http://10.0.0.1/r")).any());
        assertFalse(SandboxHooks.of(form("StatusCallback", "ftp://127.0.0.1/s")).any());
        assertFalse(SandboxHooks.of(form("StatusCallback", "http://127.0.0.1@example.com/s")).any());
        assertFalse(SandboxHooks.of(form("StatusCallback", "http://127.0.0.1:9/a b")).any());
        assertFalse(SandboxHooks.of(form("StatusCallback", "http://127.0.0.1:9/s",
                "ApplicationSid", "AP0123456789abcdef0123456789abcdef")).any(), "ignored with an application");
    }

    private static MultiMap form(String... pairs) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            form.add(pairs[i], pairs[i + 1]);
        }
        return form;
    }
}
