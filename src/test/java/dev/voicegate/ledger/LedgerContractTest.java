package dev.voicegate.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.ledger.Ledger.EventOutcome;
import dev.voicegate.ledger.StatusEvent.Source;
import io.smallrye.mutiny.Uni;

/**
 * What every ledger store does, run against {@link MemoryLedger} and {@link RedisLedger}. Writes never wait, so the
 * checks read back what was written (the Redis store reads after this replica's queued writes).
 */
abstract class LedgerContractTest {

    static final String ACCOUNT = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String OTHER_ACCOUNT = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    static final Duration RETENTION = Duration.ofDays(1);

    Ledger ledger;
    /** Attempts a minute apart, oldest first, all within the retention. */
    final Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    /** A fresh, empty ledger with {@link #RETENTION}. */
    abstract Ledger newLedger();

    @BeforeEach
    void createLedger() {
        ledger = newLedger();
    }

    static CallAttempt attempt(String id, String account, String key, String to, String idempotencyKey, Instant at) {
        return new CallAttempt(id, account, key, "rest", to, "+15005550006", "https://example.com/twiml", null,
                idempotencyKey, "req-" + id, "trace-" + id, at, false, null);
    }

    CallAttempt placed(String id, String sid, int minute) {
        CallAttempt attempt = attempt(id, ACCOUNT, "agent-a", "+14155551234", null, base.plus(minute, ChronoUnit.MINUTES));
        ledger.attempted(attempt);
        ledger.outcome(id, sid, LedgerEntry.PLACED);
        return attempt;
    }

    static StatusEvent callback(String status, Integer sequence, String token, Instant at) {
        return new StatusEvent(status, at, sequence, Source.CALLBACK, token);
    }

    static <T> T result(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    LedgerEntry entry(String sid) {
        return result(ledger.find(sid)).orElseThrow();
    }

    List<LedgerEntry> all(LedgerQuery first) {
        List<LedgerEntry> entries = new ArrayList<>();
        LedgerQuery query = first;
        while (true) {
            LedgerPage page = result(ledger.list(query));
            assertTrue(page.entries().size() <= query.pageSize());
            entries.addAll(page.entries());
            if (page.next() == null) {
                return entries;
            }
            query = new LedgerQuery(query.accountSid(), query.key(), query.status(), query.to(), query.since(),
                    query.until(), query.pageSize(), page.next());
        }
    }

    static List<String> ids(List<LedgerEntry> entries) {
        return entries.stream().map(e -> e.attempt().id()).toList();
    }

    static LedgerQuery everything(int pageSize) {
        return new LedgerQuery(null, null, null, null, null, null, pageSize, null);
    }

    @Test
    void anAttemptAndItsOutcomeAreFoundByCallSid() {
        CallAttempt attempt = placed("a1", "CA01", 0);
        LedgerEntry entry = entry("CA01");
        assertEquals(attempt, entry.attempt());
        assertEquals("CA01", entry.callSid());
        assertEquals(LedgerEntry.PLACED, entry.outcome());
        assertEquals(List.of(), entry.events());
        assertNull(entry.status());
        assertTrue(result(ledger.find("CA99")).isEmpty());
    }

    @Test
    void anAttemptWithoutAnswerIsListedPendingThenWithItsOutcome() {
        ledger.attempted(attempt("a1", ACCOUNT, "agent-a", "+14155551234", "idem-1", base));
        LedgerEntry pending = result(ledger.list(everything(10))).entries().get(0);
        assertEquals(LedgerEntry.PENDING, pending.outcome());
        assertNull(pending.callSid());
        ledger.outcome("a1", null, "outcome_unknown");
        assertEquals("outcome_unknown", result(ledger.list(everything(10))).entries().get(0).outcome());
        assertEquals(List.of("a1"), ids(all(new LedgerQuery(null, null, "outcome_unknown", null, null, null, 10, null))));
    }

    @Test
    void reconciledGivesTheSidToTheNewestPendingAttemptOfThatKeyAndAccount() {
        ledger.attempted(attempt("old", ACCOUNT, "agent-a", "+14155551234", "idem-1", base));
        ledger.attempted(attempt("new", ACCOUNT, "agent-a", "+14155551234", "idem-1", base.plusSeconds(60)));
        ledger.attempted(attempt("other-key", ACCOUNT, "agent-a", "+14155551234", "idem-2", base.plusSeconds(120)));
        ledger.attempted(attempt("other-account", OTHER_ACCOUNT, "agent-a", "+14155551234", "idem-1", base.plusSeconds(180)));
        List.of("old", "new", "other-key", "other-account").forEach(id -> ledger.outcome(id, null, "outcome_unknown"));

        ledger.reconciled(ACCOUNT.toLowerCase(Locale.ROOT), "idem-1", "CA10"); // SIDs: any case
        LedgerEntry entry = entry("CA10");
        assertEquals("new", entry.attempt().id());
        assertEquals(LedgerEntry.PLACED, entry.outcome());

        ledger.reconciled(ACCOUNT, "idem-1", "CA11");
        assertEquals("old", entry("CA11").attempt().id());
        ledger.reconciled(ACCOUNT, "idem-1", "CA12"); // none left without a SID
        ledger.reconciled(ACCOUNT, "idem-3", "CA13");
        assertTrue(result(ledger.find("CA12")).isEmpty());
        assertTrue(result(ledger.find("CA13")).isEmpty());
    }

    @Test
    void anUpdateKeepsTheKeyThatAskedAndIsRecordedOncePerKeyAndStatus() {
        placed("a1", "CA01", 0);
        assertEquals(EventOutcome.ACCEPTED, result(ledger.event("CA01", StatusEvent.update("completed", base, "agent-a"))));
        assertEquals(EventOutcome.DUPLICATE, result(ledger.event("CA01",
                StatusEvent.update("completed", base.plusSeconds(5), "agent-a"))));
        assertEquals(EventOutcome.ACCEPTED, result(ledger.event("CA01",
                StatusEvent.update("completed", base.plusSeconds(9), "ops"))));

        List<StatusEvent> events = entry("CA01").events();
        assertEquals(List.of("agent-a", "ops"), events.stream().map(StatusEvent::key).toList());
        assertTrue(events.stream().allMatch(event -> event.source() == Source.UPDATE), events.toString());
        assertEquals("completed", entry("CA01").status());
    }

    @Test
    void eventsAreDeduplicatedBySequenceNumberAndLateOnesAreRecordedAsOutOfOrder() {
        placed("a1", "CA01", 0);
        assertEquals(EventOutcome.ACCEPTED, result(ledger.event("CA01", callback("initiated", 0, null, base))));
        assertEquals(EventOutcome.DUPLICATE, result(ledger.event("CA01", callback("initiated", 0, null, base))));
        assertEquals(EventOutcome.ACCEPTED, result(ledger.event("CA01", callback("in-progress", 2, null, base.plusSeconds(9)))));
        assertEquals(EventOutcome.OUT_OF_ORDER, result(ledger.event("CA01", callback("ringing", 1, null, base.plusSeconds(2)))));
        LedgerEntry entry = entry("CA01");
        assertEquals(List.of("initiated", "ringing", "in-progress"), entry.events().stream().map(StatusEvent::status).toList());
        assertEquals("in-progress", entry.status());
    }

    @Test
    void eventsAreDeduplicatedByIdempotencyToken() {
        placed("a1", "CA01", 0);
        assertEquals(EventOutcome.ACCEPTED, result(ledger.event("CA01", callback("ringing", 1, "tok-1", base))));
        // Same token, another sequence number: a redelivery all the same.
        assertEquals(EventOutcome.DUPLICATE, result(ledger.event("CA01", callback("ringing", 7, "tok-1", base))));
        assertEquals(EventOutcome.ACCEPTED, result(ledger.event("CA01", callback("in-progress", null, "tok-2", base.plusSeconds(1)))));
        assertEquals(EventOutcome.DUPLICATE, result(ledger.event("CA01", callback("in-progress", null, "tok-2", base.plusSeconds(1)))));
        assertEquals(2, entry("CA01").events().size());
    }

    @Test
    void aFinalStatusIsNeverReplacedByALaterNonFinalOne() {
        placed("a1", "CA01", 0);
        assertEquals(EventOutcome.ACCEPTED, result(ledger.event("CA01", callback("completed", 3, null, base.plusSeconds(30)))));
        StatusEvent fetched = new StatusEvent("in-progress", base.plusSeconds(40), null, Source.FETCH, null);
        assertEquals(EventOutcome.OUT_OF_ORDER, result(ledger.event("CA01", fetched)));
        LedgerEntry entry = entry("CA01");
        assertEquals("completed", entry.status());
        assertTrue(entry.isFinal());
        assertEquals(2, entry.events().size());
    }

    @Test
    void anEventForACallNotInTheLedgerIsAnUnknownCall() {
        ledger.attempted(attempt("a1", ACCOUNT, "agent-a", "+14155551234", null, base)); // no SID yet
        assertEquals(EventOutcome.UNKNOWN_CALL, result(ledger.event("CA77", callback("ringing", 1, null, base))));
        ledger.details("CA77", new CallDetails("1", null, null, null, List.of()));
        ledger.delivered("CA77", new Delivery("status_callback", "completed", "delivered", 1, 200, base, null));
        assertTrue(result(ledger.find("CA77")).isEmpty());
    }

    @Test
    void detailsAndDeliveriesAreKeptInOrder() {
        placed("a1", "CA01", 0);
        CallDetails details = new CallDetails("42", "-0.0130", "USD", "human", List.of("RE01"));
        Delivery failed = new Delivery("status_callback", "completed", "failed", 3, 503, base.plusSeconds(50), "HTTP 503");
        Delivery delivered = new Delivery("recording_status_callback", "completed", "delivered", 1, 204, base.plusSeconds(60), null);
        ledger.details("CA01", details);
        ledger.delivered("CA01", failed);
        ledger.delivered("CA01", delivered);
        LedgerEntry entry = entry("CA01");
        assertEquals(details, entry.details());
        assertEquals(List.of(failed, delivered), entry.deliveries());
    }

    @Test
    void detailsMergeFieldByFieldSoARecordingCallbackAndTheLastFetchKeepBoth() {
        placed("a1", "CA01", 0);
        ledger.details("CA01", new CallDetails(null, null, null, null, List.of("RE01")));
        ledger.details("CA01", new CallDetails("42", "-0.0130", "USD", null, null));
        assertEquals(new CallDetails("42", "-0.0130", "USD", null, List.of("RE01")), entry("CA01").details());
        ledger.details("CA01", new CallDetails(null, null, null, "human", List.of("RE01", "RE02")));
        assertEquals(new CallDetails("42", "-0.0130", "USD", "human", List.of("RE01", "RE02")), entry("CA01").details());
    }

    @Test
    void findAllAnswersTheCallsItHolds() {
        placed("a1", "CA01", 0);
        placed("a2", "CA02", 1);
        Map<String, LedgerEntry> found = result(ledger.findAll(List.of("CA01", "CA02", "CA03")));
        assertEquals(java.util.Set.of("CA01", "CA02"), found.keySet());
        assertEquals("a2", found.get("CA02").attempt().id());
        assertEquals(Map.of(), result(ledger.findAll(List.of())));
    }

    @Test
    void listingIsNewestFirstAndEveryEntryComesOnceAcrossPages() {
        for (int i = 0; i < 7; i++) {
            placed("a" + i, "CA0" + i, i);
        }
        // Two in the same millisecond: the order between them must still hold across pages.
        ledger.attempted(attempt("b1", ACCOUNT, "agent-a", "+14155551234", null, base.plus(7, ChronoUnit.MINUTES)));
        ledger.attempted(attempt("b2", ACCOUNT, "agent-a", "+14155551234", null, base.plus(7, ChronoUnit.MINUTES)));
        List<String> listed = ids(all(everything(3)));
        assertEquals(List.of("b2", "b1", "a6", "a5", "a4", "a3", "a2", "a1", "a0"), listed);
        assertEquals(listed, ids(all(everything(1))));
        assertEquals(listed, ids(all(everything(100))));
        assertNull(result(ledger.list(everything(9))).next());
        assertThrows(IllegalArgumentException.class, () -> result(ledger.list(new LedgerQuery(null, null, null, null,
                null, null, 3, "not-a-token"))));
    }

    @Test
    void listingFiltersByAccountKeyStatusNumberAndTime() {
        ledger.attempted(attempt("x1", ACCOUNT, "agent-a", "+14155551234", null, base));
        ledger.attempted(attempt("x2", OTHER_ACCOUNT, "agent-a", "+14155559999", null, base.plusSeconds(60)));
        ledger.attempted(attempt("x3", ACCOUNT, "agent-b", "+14155559999", null, base.plusSeconds(120)));
        ledger.attempted(attempt("x4", ACCOUNT, "pass-through", "+14155551234", null, base.plusSeconds(180)));
        ledger.outcome("x1", "CA01", LedgerEntry.PLACED);
        ledger.outcome("x3", "CA03", LedgerEntry.PLACED);
        result(ledger.event("CA01", callback("completed", 3, null, base.plusSeconds(30))));
        result(ledger.event("CA03", callback("ringing", 1, null, base.plusSeconds(121))));

        assertEquals(List.of("x4", "x3", "x1"), ids(all(new LedgerQuery(ACCOUNT.toLowerCase(Locale.ROOT), null, null, null, null, null, 2, null))));
        assertEquals(List.of("x2", "x1"), ids(all(new LedgerQuery(null, "agent-a", null, null, null, null, 1, null))));
        assertEquals(List.of("x1"), ids(all(new LedgerQuery(ACCOUNT, "agent-a", null, null, null, null, 5, null))));
        assertEquals(List.of("x1"), ids(all(new LedgerQuery(null, null, "completed", null, null, null, 5, null))));
        assertEquals(List.of("x4", "x2"), ids(all(new LedgerQuery(null, null, LedgerEntry.PENDING, null, null, null, 5, null))));
        assertEquals(List.of("x3", "x2"), ids(all(new LedgerQuery(null, null, null, "+14155559999", null, null, 1, null))));
        assertEquals(List.of("x3", "x2"), ids(all(new LedgerQuery(null, null, null, null, base.plusSeconds(60),
                base.plusSeconds(180), 1, null))));
        assertEquals(List.of(), ids(all(new LedgerQuery(null, "agent-z", null, null, null, null, 5, null))));
    }

    @Test
    void entriesOlderThanTheRetentionAreGone() {
        ledger.attempted(attempt("old", ACCOUNT, "agent-a", "+14155551234", null, Instant.now().minus(RETENTION).minusSeconds(60)));
        ledger.outcome("old", "CA01", LedgerEntry.PLACED);
        placed("recent", "CA02", 0);
        assertTrue(result(ledger.find("CA01")).isEmpty());
        assertEquals(List.of("recent"), ids(all(everything(10))));
    }

    @Test
    void aWatchIsWokenByEachRecordedEventUntilClosed() {
        placed("a1", "CA01", 0);
        placed("a2", "CA02", 1);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        Ledger.Watch watch = ledger.watch("CA01", first::incrementAndGet);
        ledger.watch("CA02", second::incrementAndGet);
        result(ledger.event("CA01", callback("ringing", 1, null, base)));
        await().atMost(Duration.ofSeconds(5)).until(() -> first.get() > 0);
        result(ledger.event("CA01", callback("ringing", 1, null, base))); // a duplicate wakes nobody
        watch.close();
        watch.close();
        int woken = first.get();
        result(ledger.event("CA01", callback("in-progress", 2, null, base)));
        result(ledger.event("CA02", callback("ringing", 1, null, base)));
        await().atMost(Duration.ofSeconds(5)).until(() -> second.get() > 0);
        assertEquals(woken, first.get());
        assertFalse(ledger.kind().isBlank());
    }

    @Test
    void aWatchOfEveryCallIsWokenByNewEntriesOutcomesAndEventsUntilClosed() {
        List<String> woken = new java.util.concurrent.CopyOnWriteArrayList<>();
        Ledger.Watch watch = ledger.watchAll(woken::add);
        ledger.attempted(attempt("w1", ACCOUNT, "agent-a", "+14155551234", null, base));
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains("w1"));
        ledger.outcome("w1", "CA41", LedgerEntry.PLACED);
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains("CA41"));
        int before = woken.size();
        result(ledger.event("CA41", callback("ringing", 1, null, base)));
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() > before);
        watch.close();
        watch.close();
        int after = woken.size();
        result(ledger.event("CA41", callback("in-progress", 2, null, base)));
        ledger.attempted(attempt("w2", ACCOUNT, "agent-a", "+14155551234", null, base));
        placed("w3", "CA42", 1);
        assertEquals(after, woken.size());
    }

    // The operators' control events.

    static ControlEvent control(String action, String target, Instant at) {
        return new ControlEvent(at, action, "operator", target, "looping on +14155550123", "suspended");
    }

    /** Every control event, walking the pages of {@code pageSize}. */
    List<ControlEvent> controls(int pageSize) {
        List<ControlEvent> events = new ArrayList<>();
        String cursor = null;
        do {
            ControlPage page = result(ledger.controls(cursor, pageSize));
            assertTrue(page.events().size() <= pageSize);
            events.addAll(page.events());
            cursor = page.next();
        } while (cursor != null);
        return events;
    }

    @Test
    void controlEventsAreListedNewestFirstAcrossPagesWithNumbersMasked() {
        for (int i = 0; i < 5; i++) {
            ledger.control(control(i % 2 == 0 ? "suspend_key" : "resume_key", "agent-" + i, base.plusSeconds(i)));
        }
        List<ControlEvent> events = controls(2);
        assertEquals(List.of("agent-4", "agent-3", "agent-2", "agent-1", "agent-0"),
                events.stream().map(ControlEvent::target).toList());
        ControlEvent newest = events.get(0);
        assertEquals(new ControlEvent(base.plusSeconds(4), "suspend_key", "operator", "agent-4", "looping on ***0123",
                "suspended"), newest);
        ControlPage first = result(ledger.controls(null, 5));
        assertEquals(5, first.events().size());
        assertNull(first.next(), "no next page when the last event is on this one");
        assertEquals(5, result(ledger.controls(null, 10)).events().size());
    }

    @Test
    void controlEventsWithoutAnyAreAnEmptyPageAndAForeignTokenIsRefused() {
        ControlPage empty = result(ledger.controls(null, 10));
        assertEquals(List.of(), empty.events());
        assertNull(empty.next());
        for (String token : List.of("bm9wZQ", "cDE", "Y3g")) { // "nope", a calls-page token, "cx"
            assertThrows(IllegalArgumentException.class, () -> result(Uni.createFrom().deferred(() -> ledger.controls(token, 5))));
        }
    }

    @Test
    void controlEventsOlderThanTheRetentionAreGone() {
        ledger.control(control("end_all_calls", ACCOUNT, Instant.now().minus(RETENTION).minusSeconds(60)));
        ledger.control(control("resume_key", "agent-a", Instant.now()));
        assertEquals(List.of("resume_key"), controls(10).stream().map(ControlEvent::action).toList());
    }
}
