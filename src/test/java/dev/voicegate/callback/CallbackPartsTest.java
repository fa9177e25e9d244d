package dev.voicegate.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.voicegate.ledger.Ledger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** The receiver's parts without a server: the URL's port variants, form bodies, Twilio's timestamps, metric tags. */
class CallbackPartsTest {

    @Test
    void theDefaultPortIsAddedOrDropped() {
        assertEquals(List.of("https://vg.example/twilio/callbacks/status?a=1", "https://vg.example:443/twilio/callbacks/status?a=1"),
                Signatures.portVariants("https://vg.example/twilio/callbacks/status?a=1"));
        assertEquals(List.of("https://vg.example:443/x", "https://vg.example/x"),
                Signatures.portVariants("https://vg.example:443/x"));
        assertEquals(List.of("http://vg.example/x", "http://vg.example:80/x"), Signatures.portVariants("http://vg.example/x"));
        assertEquals(List.of("http://vg.example:80/x", "http://vg.example/x"), Signatures.portVariants("http://vg.example:80/x"));
        assertEquals(List.of("http://vg.example:8080/x"), Signatures.portVariants("http://vg.example:8080/x"),
                "another port is part of the URL");
        assertEquals(List.of("https://vg.example/base/twilio", "https://vg.example:443/base/twilio"),
                Signatures.portVariants("https://vg.example/base/twilio"), "a path prefix of an ingress stays");
    }

    @Test
    void aFormKeepsEveryValueOfARepeatedName() {
        Form form = Form.parse("A=1&B=x+y%2Bz&A=2&Empty=&Bare&Unicode=%C3%A9".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("A", List.of("1", "2"), "B", List.of("x y+z"), "Empty", List.of(""), "Bare", List.of(""),
                "Unicode", List.of("é")), form.fields());
        assertEquals("1", form.first("A"));
        assertNull(form.first("Missing"));
        assertEquals(form.fields(), Form.parse(form.encoded().getBytes(StandardCharsets.UTF_8)).fields());
        assertEquals(Map.of(), Form.parse(new byte[0]).fields());
    }

    @Test
    void twiliosRfc2822TimestampIsReadElseTheTimeOfArrival() {
        assertEquals(Instant.parse("2025-01-14T10:00:03Z"), CallbackEvents.time("Tue, 14 Jan 2025 10:00:03 +0000"));
        assertTrue(Duration.between(CallbackEvents.time("yesterday"), Instant.now()).abs().toSeconds() < 5);
        assertTrue(Duration.between(CallbackEvents.time(null), Instant.now()).abs().toSeconds() < 5);
        assertEquals(3, CallbackEvents.sequence("3"));
        assertNull(CallbackEvents.sequence("three"));
        assertNull(CallbackEvents.sequence(null));
    }

    @Test
    void eventTagsComeFromFixedSets() {
        assertEquals("in-progress", CallbackMetrics.callEvent("in-progress"));
        assertEquals("other", CallbackMetrics.callEvent("+14155551234"));
        assertEquals("other", CallbackMetrics.callEvent(null));
        assertEquals("recording-completed", CallbackMetrics.recordingEvent("completed"));
        assertEquals("other", CallbackMetrics.recordingEvent("ringing"));
        assertEquals("other", CallbackMetrics.recordingEvent(null));
    }

    /** The receiver hands the callback on and returns: a ledger that never answers (Redis away) holds nothing up. */
    @Test
    void handingACallbackOnNeverWaitsForTheLedger() {
        AtomicInteger asked = new AtomicInteger();
        Ledger silent = (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] {Ledger.class},
                (proxy, method, args) -> {
                    asked.incrementAndGet();
                    return method.getReturnType() == Uni.class ? Uni.createFrom().nothing() : null;
                });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CallbackEvents events = new CallbackEvents(silent, new CallbackMetrics(registry), null);
        Form status = new Form(Map.of("AccountSid", List.of("AC00000000000000000000000000000001"),
                "CallSid", List.of("CA00000000000000000000000000000001"), "CallStatus", List.of("completed")));
        Form recording = new Form(Map.of("AccountSid", List.of("AC00000000000000000000000000000001"),
                "CallSid", List.of("CA00000000000000000000000000000001"), "RecordingStatus", List.of("completed"),
                "RecordingSid", List.of("RE00000000000000000000000000000001")));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            events.status(status, null, "token");
            events.recording(recording, null, "token");
        });
        assertEquals(2, asked.get(), "each asked the ledger, and went on without its answer");
        // Every series exists from start-up (pre-registered at zero): none has counted yet.
        assertTrue(registry.find("voicegate.callbacks").counters().stream().allMatch(c -> c.count() == 0),
                "nothing counted before the ledger answers");
    }
}
