package dev.voicegate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxStoreTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String VALID_FROM = "+15005550006";
    static final Instant T0 = Instant.parse("2030-06-15T12:00:00Z");

    /** A clock tests move by hand, so the call lifecycle needs no sleeping. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MutableClock clock = new MutableClock(T0);
    private final SandboxStore store = new SandboxStore(clock, 100);

    private SandboxCall place(String to, boolean record) {
        return store.create(to, VALID_FROM, "https://example.com/twiml", null, null, String.valueOf(record), null);
    }

    @Test
    void callWalksThroughQueuedRingingInProgressCompleted() {
        SandboxCall call = place("+14155550100", false);

        SandboxWire.Call queued = SandboxJson.call(call, ACCOUNT, clock.instant());
        assertEquals("queued", queued.status());
        assertNull(queued.startTime());
        assertNull(queued.duration());
        assertNull(queued.price());
        assertEquals("Sat, 15 Jun 2030 12:00:00 +0000", queued.dateCreated());
        assertEquals("outbound-api", queued.direction());
        assertEquals("(415) 555-0100", queued.toFormatted());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + call.sid() + ".json", queued.uri());
        assertTrue(call.sid().matches("CA[0-9a-f]{32}"));

        clock.advance(Duration.ofSeconds(1));
        assertEquals("ringing", SandboxJson.call(call, ACCOUNT, clock.instant()).status());

        clock.advance(Duration.ofSeconds(1));
        SandboxWire.Call answered = SandboxJson.call(call, ACCOUNT, clock.instant());
        assertEquals("in-progress", answered.status());
        assertEquals("Sat, 15 Jun 2030 12:00:02 +0000", answered.startTime());
        assertNull(answered.endTime());

        clock.advance(Duration.ofMillis(2999));
        assertEquals("in-progress", SandboxJson.call(call, ACCOUNT, clock.instant()).status());
        clock.advance(Duration.ofMillis(1));
        SandboxWire.Call done = SandboxJson.call(call, ACCOUNT, clock.instant());
        assertEquals("completed", done.status());
        assertEquals("3", done.duration());
        assertEquals("-0.01300", done.price());
        assertEquals("USD", done.priceUnit());
        assertEquals("Sat, 15 Jun 2030 12:00:05 +0000", done.endTime());
        assertEquals(done.endTime(), done.dateUpdated());
        assertNull(done.answeredBy());
    }

    @Test
    void machineDetectionAnswersHumanFromTheAnswerOn() {
        SandboxCall call = store.create("+14155550100", VALID_FROM, null, "<Response/>", null, null, "Enable");
        assertNull(SandboxJson.call(call, ACCOUNT, clock.instant()).answeredBy());
        clock.advance(Duration.ofMillis(1999));
        assertNull(SandboxJson.call(call, ACCOUNT, clock.instant()).answeredBy(), "ringing: not answered yet");
        clock.advance(Duration.ofMillis(1));
        assertEquals("human", SandboxJson.call(call, ACCOUNT, clock.instant()).answeredBy());
        clock.advance(Duration.ofSeconds(3));
        assertEquals("completed", SandboxJson.call(call, ACCOUNT, clock.instant()).status());
        assertEquals("human", SandboxJson.call(call, ACCOUNT, clock.instant()).answeredBy());
    }

    @Test
    void theMachineNumberIsAnsweredByAMachineOnlyWhenDetectionWasAskedFor() {
        SandboxCall detected = store.create(SandboxCall.MACHINE_TO, VALID_FROM, null, "<Response/>", null, "true",
                "DetectMessageEnd");
        SandboxCall undetected = place(SandboxCall.MACHINE_TO, false);
        clock.advance(Duration.ofSeconds(2));
        assertEquals("machine_start", SandboxJson.call(detected, ACCOUNT, clock.instant()).answeredBy());
        clock.advance(Duration.ofSeconds(3));
        SandboxWire.Call done = SandboxJson.call(detected, ACCOUNT, clock.instant());
        assertEquals("completed", done.status());
        assertEquals("machine_start", done.answeredBy());
        assertEquals("3", done.duration());
        assertTrue(store.recording(detected.recordingSid()).isPresent(), "a machine's answer is recorded too");
        assertNull(SandboxJson.call(undetected, ACCOUNT, clock.instant()).answeredBy());
    }

    @Test
    void theBusyNumberRingsThenEndsBusyWithoutDurationPriceEndTimeOrRecording() {
        SandboxCall call = store.create(SandboxCall.BUSY_TO, VALID_FROM, null, "<Response/>", null, "true", "Enable");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("ringing", SandboxJson.call(call, ACCOUNT, clock.instant()).status());
        clock.advance(Duration.ofSeconds(1));
        SandboxWire.Call busy = SandboxJson.call(call, ACCOUNT, clock.instant());
        assertEquals("busy", busy.status());
        assertEquals("Sat, 15 Jun 2030 12:00:01 +0000", busy.startTime(), "dialed, never answered");
        assertEquals("Sat, 15 Jun 2030 12:00:02 +0000", busy.dateUpdated());
        assertNull(busy.endTime());
        assertNull(busy.duration());
        assertNull(busy.price());
        assertNull(busy.answeredBy());
        clock.advance(Duration.ofMinutes(1));
        assertEquals("busy", SandboxJson.call(call, ACCOUNT, clock.instant()).status(), "final: it stays busy");
        assertTrue(store.recording(call.recordingSid()).isEmpty());
        assertTrue(store.listRecordings(SandboxFilter.NONE, SandboxPage.Request.first(50)).items().isEmpty());
    }

    @Test
    void theNoAnswerNumberRingsUntilItEndsNoAnswer() {
        SandboxCall call = store.create(SandboxCall.NO_ANSWER_TO, VALID_FROM, null, "<Response/>", null, "true",
                "Enable");
        clock.advance(Duration.ofMillis(4999));
        assertEquals("ringing", SandboxJson.call(call, ACCOUNT, clock.instant()).status());
        clock.advance(Duration.ofMillis(1));
        SandboxWire.Call unanswered = SandboxJson.call(call, ACCOUNT, clock.instant());
        assertEquals("no-answer", unanswered.status());
        assertEquals("Sat, 15 Jun 2030 12:00:05 +0000", unanswered.dateUpdated());
        assertEquals("Sat, 15 Jun 2030 12:00:01 +0000", unanswered.startTime());
        assertNull(unanswered.endTime());
        assertNull(unanswered.duration());
        assertNull(unanswered.answeredBy());
        assertTrue(store.recording(call.recordingSid()).isEmpty());
        assertEquals(List.of(call), store.listCalls(new SandboxFilter(null, null, "no-answer", null, null, null),
                SandboxPage.Request.first(50)).items());
    }

    @Test
    void theLongNumberStaysInProgressForTenMinutesUnlessHungUp() {
        SandboxCall call = store.create(SandboxCall.LONG_TO, VALID_FROM, null, "<Response/>", null, "true", "Enable");
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertEquals("in-progress", SandboxJson.call(call, ACCOUNT, clock.instant()).status());
        clock.advance(Duration.ofMillis(1));
        SandboxWire.Call completed = SandboxJson.call(call, ACCOUNT, clock.instant());
        assertEquals("completed", completed.status());
        assertEquals("598", completed.duration(), "answered 2 s after creation");
        assertEquals("Sat, 15 Jun 2030 12:10:00 +0000", completed.endTime());
    }

    @Test
    void recordedCallHasOneRecordingAndTranscriptionOnlyOnceCompleted() {
        SandboxCall recorded = place("+14155550100", true);
        SandboxCall plain = place("+14155550101", false);
        assertTrue(store.recording(recorded.recordingSid()).isEmpty());
        assertTrue(store.listRecordings(SandboxFilter.NONE, SandboxPage.Request.first(50)).items().isEmpty());

        clock.advance(Duration.ofSeconds(5));
        assertEquals(recorded, store.recording(recorded.recordingSid()).orElseThrow());
        assertNull(plain.recordingSid());
        assertEquals(List.of(recorded),
                store.listRecordings(SandboxFilter.NONE, SandboxPage.Request.first(50)).items());

        SandboxWire.Recording rec = SandboxJson.recording(recorded, ACCOUNT, "localhost:8080");
        assertTrue(rec.sid().matches("RE[0-9a-f]{32}"));
        assertEquals("completed", rec.status());
        assertEquals("3", rec.duration());
        assertEquals("OutboundAPI", rec.source());
        assertEquals("-0.0025", rec.price());
        assertEquals("http://localhost:8080/sandbox/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/" + rec.sid(),
                rec.mediaUrl());
        SandboxWire.Transcription tr = SandboxJson.transcription(recorded, ACCOUNT);
        assertTrue(tr.sid().matches("TR[0-9a-f]{32}"));
        assertEquals("completed", tr.status());
        assertEquals(rec.sid(), tr.recordingSid());
    }

    @ParameterizedTest
    @CsvSource({
        "+15005550006, +15005550001, 21212",
        "+15005550006, +14155550123, 21210",
        "+15005550001, +15005550006, 21217",
        "+15005550002, +15005550006, 21214",
        "+15005550003, +15005550006, 21215",
        "+15005550004, +15005550006, 21216",
        "not-a-number, +15005550006, 21211",
    })
    void twilioTestNumbersAreRefusedWithTheirCodes(String to, String from, int code) {
        SandboxError e = assertThrows(SandboxError.class,
                () -> store.create(to, from, "https://example.com/twiml", null, null, null, null));
        assertEquals(code, e.code);
        assertEquals(400, e.status);
        assertFalse(e.getMessage().contains(to.substring(1)), "numbers are masked");
        assertFalse(e.getMessage().contains(from.substring(1)), "numbers are masked");
    }

    @Test
    void unverifiedCallerIsMaskedToItsLastFourDigits() {
        SandboxError e = assertThrows(SandboxError.class,
                () -> store.create("+15005550006", "+14155555678", "https://example.com/t", null, null, null, null));
        assertTrue(e.getMessage().startsWith("The source phone number provided, ***5678, is not yet verified"));
    }

    @Test
    void missingParametersAreRefusedLikeTwilio() {
        assertEquals(21201, assertThrows(SandboxError.class,
                () -> store.create(null, VALID_FROM, "https://e.com", null, null, null, null)).code);
        SandboxError noUrl = assertThrows(SandboxError.class,
                () -> store.create("+14155550100", VALID_FROM, null, null, null, null, null));
        assertEquals(21205, noUrl.code);
        assertEquals("Url parameter is required", noUrl.getMessage());
    }

    @Test
    void pagesNewestFirstWithPageTokens() {
        List<SandboxCall> calls = List.of(place("+14155550100", false), place("+14155550100", false),
                place("+14155550100", false), place("+14155550100", false), place("+14155550100", false));

        SandboxPage first = store.listCalls(SandboxFilter.NONE, SandboxPage.Request.first(2));
        assertEquals(List.of(calls.get(4), calls.get(3)), first.items());
        SandboxWire.PageMeta meta = first.meta("/x/Calls.json", "To=%2B14155550100&");
        assertEquals(0, meta.start());
        assertEquals(1, meta.end());
        assertEquals("/x/Calls.json?To=%2B14155550100&PageSize=2&Page=1&PageToken=PA" + calls.get(3).sid(),
                meta.nextPageUri());
        assertNull(meta.previousPageUri());

        SandboxPage second = store.listCalls(SandboxFilter.NONE, new SandboxPage.Request(2, 1, "PA" + calls.get(3).sid()));
        assertEquals(List.of(calls.get(2), calls.get(1)), second.items());
        assertEquals(2, second.start());
        assertEquals("/x/Calls.json?PageSize=2&Page=0&PageToken=PB" + calls.get(2).sid(),
                second.meta("/x/Calls.json", "").previousPageUri());

        SandboxPage last = store.listCalls(SandboxFilter.NONE, new SandboxPage.Request(2, 2, "PA" + calls.get(1).sid()));
        assertEquals(List.of(calls.get(0)), last.items());
        assertNull(last.meta("/x/Calls.json", "").nextPageUri());

        SandboxPage back = store.listCalls(SandboxFilter.NONE, new SandboxPage.Request(2, 0, "PB" + calls.get(2).sid()));
        assertEquals(first.items(), back.items());
    }

    @Test
    void pagingParametersAreValidated() {
        assertThrows(SandboxError.class, () -> SandboxPage.Request.parse("0", null, null));
        assertThrows(SandboxError.class, () -> SandboxPage.Request.parse("1001", null, null));
        assertThrows(SandboxError.class, () -> SandboxPage.Request.parse("ten", null, null));
        assertThrows(SandboxError.class, () -> SandboxPage.Request.parse(null, null, "garbage"));
        assertEquals(50, SandboxPage.Request.parse(null, null, null).pageSize());
    }

    @Test
    void filtersByNumberStatusAndStartDay() {
        SandboxCall yesterday = place("+14155550100", false);
        clock.advance(Duration.ofDays(1));
        SandboxCall today = place("+14155550101", false);

        assertEquals(List.of(today), list(new SandboxFilter("+14155550101", null, null, null, null, null)));
        assertEquals(List.of(yesterday), list(new SandboxFilter(null, null, "completed", null, null, null)));
        assertEquals(List.of(today), list(new SandboxFilter(null, null, "queued", null, null, null)));
        Instant june16 = SandboxFilter.parseDate("StartTime>", "2030-06-16");
        assertEquals(List.of(today), list(new SandboxFilter(null, null, null, null, june16, null)));
        assertEquals(List.of(yesterday), list(new SandboxFilter(null, null, null, null, null, june16)));
        assertThrows(SandboxError.class, () -> new SandboxFilter(null, null, "done", null, null, null));
    }

    @Test
    void parsesTheDateFormatsClientsSend() {
        Instant midnight = Instant.parse("2030-06-16T00:00:00Z");
        assertEquals(midnight, SandboxFilter.parseDate("StartTime>", "2030-06-16"));
        assertEquals(midnight, SandboxFilter.parseDate("StartTime>", "2030-06-16T00:00:00Z"));
        assertEquals(midnight, SandboxFilter.parseDate("StartTime>", "2030-06-16T00:00:00"));
        assertEquals(midnight, SandboxFilter.parseDate("StartTime>", "2030-06-16T02:00:00+02:00"));
        assertThrows(SandboxError.class, () -> SandboxFilter.parseDate("StartTime>", "16/06/2030"));
    }

    @Test
    void keepsOnlyTheNewestCallsAndTheirRecordings() {
        SandboxStore small = new SandboxStore(clock, 3);
        SandboxCall oldest = small.create("+14155550100", VALID_FROM, "https://e.com", null, null, "true", null);
        for (int i = 0; i < 3; i++) {
            small.create("+14155550100", VALID_FROM, "https://e.com", null, null, "true", null);
        }
        clock.advance(Duration.ofSeconds(5));
        assertEquals(3, small.size());
        assertTrue(small.call(oldest.sid()).isEmpty());
        assertTrue(small.recording(oldest.recordingSid()).isEmpty());
        // A token naming an evicted call points past the end of the log.
        assertTrue(small.listCalls(SandboxFilter.NONE, new SandboxPage.Request(2, 1, "PA" + oldest.sid()))
                .items().isEmpty());
    }

    @Test
    void wavIsTheRecordingsDurationOfEightKilohertzSixteenBitMonoPcm() {
        byte[] wav = SandboxWav.SILENCE;
        assertEquals(44 + SandboxCall.DURATION_SECONDS * 16000, wav.length);
        assertEquals("RIFF", new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("WAVE", new String(wav, 8, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("data", new String(wav, 36, 4, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void authAcceptsTheAccountSidOrAnApiKeyWithTheToken() {
        SandboxAuth auth = new SandboxAuth(ACCOUNT, "sandbox-auth-token");
        assertTrue(auth.accepts(basic(ACCOUNT, "sandbox-auth-token"), ACCOUNT));
        assertTrue(auth.accepts(basic("SK0123456789abcdef0123456789abcdef", "sandbox-auth-token"), ACCOUNT));
        assertFalse(auth.accepts(basic(ACCOUNT, "wrong"), ACCOUNT));
        assertFalse(auth.accepts(basic("ACffffffffffffffffffffffffffffffff", "sandbox-auth-token"), ACCOUNT));
        assertFalse(auth.accepts(basic("ACffffffffffffffffffffffffffffffff", "sandbox-auth-token"),
                "ACffffffffffffffffffffffffffffffff"));
        assertFalse(auth.accepts("Basic !!!", ACCOUNT));
        assertFalse(auth.accepts(null, ACCOUNT));
    }

    private List<SandboxCall> list(SandboxFilter filter) {
        return store.listCalls(filter, SandboxPage.Request.first(50)).items();
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }
}
