package dev.voicegate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Ending a sandbox call through the update route's store method, as Twilio ends one (TWILIO.md section 9). */
class SandboxHangUpTest {

    static final String ACCOUNT = SandboxStoreTest.ACCOUNT;
    static final String PATH = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/CA00.json";

    private final SandboxStoreTest.MutableClock clock = new SandboxStoreTest.MutableClock(SandboxStoreTest.T0);
    private final SandboxStore store = new SandboxStore(clock, 100);

    private SandboxCall place(String to, boolean record) {
        return store.create(to, SandboxStoreTest.VALID_FROM, "https://example.com/twiml", null, null,
                String.valueOf(record), null);
    }

    private SandboxWire.Call json(SandboxCall call) {
        return SandboxJson.call(store.call(call.sid()).orElseThrow(), ACCOUNT, clock.instant());
    }

    @Test
    void canceledHangsUpARingingCallForGood() {
        SandboxCall call = place("+14155550160", true);
        clock.advance(Duration.ofMillis(1500));

        SandboxCall ended = store.hangUp(call.sid(), "canceled", PATH);

        SandboxWire.Call now = SandboxJson.call(ended, ACCOUNT, clock.instant());
        assertEquals("canceled", now.status());
        assertEquals("Sat, 15 Jun 2030 12:00:01 +0000", now.startTime(), "dialed, as for busy and no-answer");
        assertNull(now.endTime(), "Twilio leaves end_time empty for a call that did not complete");
        assertNull(now.duration());
        assertNull(now.price());
        assertEquals("Sat, 15 Jun 2030 12:00:01 +0000", now.dateUpdated());
        clock.advance(Duration.ofSeconds(10));
        SandboxWire.Call later = json(call);
        assertEquals("canceled", later.status(), "the script's end changes nothing");
        assertNull(later.answeredBy());
        assertTrue(store.listRecordings(SandboxFilter.NONE, SandboxPage.Request.first(50)).items().isEmpty());
        assertTrue(store.recording(call.recordingSid()).isEmpty(), "a canceled call has no recording");
        assertEquals(List.of(call.sid()), store.listCalls(new SandboxFilter(null, null, "canceled", null, null, null),
                SandboxPage.Request.first(50)).items().stream().map(SandboxCall::sid).toList());
    }

    @Test
    void canceledWhileQueuedNeverRang() {
        SandboxCall call = place("+14155550161", false);
        clock.advance(Duration.ofMillis(400));
        store.hangUp(call.sid(), "canceled", PATH);
        clock.advance(Duration.ofSeconds(10));
        SandboxWire.Call now = json(call);
        assertEquals("canceled", now.status());
        assertNull(now.startTime());
        assertEquals("400", now.queueTime(), "queued until the hang-up");
        assertEquals("Sat, 15 Jun 2030 12:00:00 +0000", now.dateUpdated());
    }

    /** Twilio's status values: {@code canceled} is a call hung up while queued or ringing, whoever asked how. */
    @Test
    void completedOnAnUnansweredCallEndsItCanceled() {
        SandboxCall call = place(SandboxCall.NO_ANSWER_TO, false);
        clock.advance(Duration.ofSeconds(3));
        assertEquals("ringing", json(call).status());
        assertEquals("canceled", SandboxJson.call(store.hangUp(call.sid(), "completed", PATH), ACCOUNT,
                clock.instant()).status());
        clock.advance(Duration.ofSeconds(5));
        assertEquals("canceled", json(call).status(), "not no-answer");
    }

    @Test
    void canceledLeavesACallInProgressAsItIs() {
        SandboxCall call = place("+14155550162", false);
        clock.advance(Duration.ofSeconds(3));

        SandboxCall same = store.hangUp(call.sid(), "canceled", PATH);

        assertSame(call, same);
        assertNull(same.hungUp());
        assertEquals("in-progress", json(call).status());
        clock.advance(Duration.ofSeconds(2));
        assertEquals("completed", json(call).status());
        assertEquals("3", json(call).duration());
    }

    @Test
    void completedHangsUpACallInProgressWithItsShorterDurationAndRecording() {
        SandboxCall call = place("+14155550163", true);
        clock.advance(Duration.ofMillis(3200));

        SandboxWire.Call now = SandboxJson.call(store.hangUp(call.sid(), "completed", PATH), ACCOUNT, clock.instant());

        assertEquals("completed", now.status());
        assertEquals("2", now.duration(), "1.2 s in progress, rounded up");
        assertEquals("-0.01300", now.price());
        assertEquals("Sat, 15 Jun 2030 12:00:02 +0000", now.startTime());
        assertEquals("Sat, 15 Jun 2030 12:00:03 +0000", now.endTime());
        assertEquals(now.endTime(), now.dateUpdated());
        SandboxCall recorded = store.recording(call.recordingSid()).orElseThrow();
        SandboxWire.Recording recording = SandboxJson.recording(recorded, ACCOUNT, "localhost:8080");
        assertEquals("2", recording.duration());
        assertEquals(now.endTime(), recording.dateCreated());
        assertEquals("2", SandboxJson.transcription(recorded, ACCOUNT).duration());
        assertEquals(List.of(call.recordingSid()), store.listRecordings(new SandboxFilter(null, null, null,
                call.sid(), null, null), SandboxPage.Request.first(50)).items().stream()
                .map(SandboxCall::recordingSid).toList());

        clock.advance(Duration.ofSeconds(10));
        assertEquals(now, json(call), "nothing changes after the hang-up");
    }

    @Test
    void anEndedCallIs21220() {
        SandboxCall scripted = place("+14155550164", false);
        SandboxCall busy = place(SandboxCall.BUSY_TO, false);
        SandboxCall hungUp = place("+14155550165", false);
        store.hangUp(hungUp.sid(), "canceled", PATH);
        clock.advance(Duration.ofSeconds(5));

        for (SandboxCall call : List.of(scripted, busy, hungUp)) {
            for (String status : List.of("canceled", "completed")) {
                SandboxError e = assertThrows(SandboxError.class, () -> store.hangUp(call.sid(), status, PATH));
                assertEquals(400, e.status);
                assertEquals(21220, e.code);
                assertEquals("Call is not in-progress. Cannot redirect.", e.getMessage());
            }
        }
        assertEquals("completed", json(scripted).status());
        assertEquals("busy", json(busy).status());
        assertEquals("canceled", json(hungUp).status());
    }

    @Test
    void anUnknownCallIs20404AndOnlyCanceledOrCompletedAreStatuses() {
        SandboxError missing = assertThrows(SandboxError.class,
                () -> store.hangUp("CA00000000000000000000000000000000", "completed", PATH));
        assertEquals(404, missing.status);
        assertEquals(20404, missing.code);
        assertEquals("The requested resource " + PATH + " was not found", missing.getMessage());

        SandboxCall call = place("+14155550166", false);
        for (String status : new String[] {null, "in-progress", "busy", "Completed"}) {
            SandboxError e = assertThrows(SandboxError.class, () -> store.hangUp(call.sid(), status, PATH));
            assertEquals(400, e.status);
            assertEquals(20001, e.code);
        }
        assertEquals("queued", json(call).status());
    }
}
