package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioCalls.leg;
import static dev.voicegate.testing.TwilioCalls.recording;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.ANY_CALL_RECORDINGS;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.TestAccounts;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.AccountLimiter;
import dev.voicegate.twilio.limit.Turn;
import dev.voicegate.voice.ActionContext;
import dev.voicegate.voice.ListCallsAction;
import dev.voicegate.voice.ListCallsInput;
import dev.voicegate.voice.Surface;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * list_calls of the latest calls, 100 or more (or any smaller page while the account has room): the recordings join's
 * first page ({@code GET /Recordings.json}, no date filter, newest first) is read beside the calls page, and exactly
 * these requests reach Twilio: when that page settles every parent leg, when it does not reach back far enough
 * (followed by its own cursor, or for a page of up to 32 calls, by per-call lookups), when it holds more recordings
 * than a small page's calls budget allows, when it fails (the join then starts from the oldest call's day, as without
 * it), and when the calls page fails or the action is cancelled (no slot is left held).
 */
@QuarkusTest
class ListCallsSpeculativeJoinTest extends ListCallsSuite {

    static final String RECORDINGS = ACCOUNT + "/Recordings.json";
    static final TwilioCredentials CREDENTIALS = new TwilioCredentials(TestAccounts.ACCOUNT_SID,
            TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN);
    static final String OTHER_CALL = sid("CA", 0xfff);
    /** 40 parent legs (more than 2 × the lookup concurrency of 16) and, after every 20th, a child leg of it. */
    static final int PARENTS = 40;

    @Inject
    AccountLimiter limiter;

    @Inject
    ListCallsAction listCalls;

    @AfterEach
    void noSlotLeftHeld() {
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.inFlight(TestAccounts.ACCOUNT_SID) == 0);
    }

    // ------------------------------------------------------------------ fixtures

    static String sid(String prefix, int n) {
        return String.format("%s%032x", prefix, n);
    }

    static String parent(int i) {
        return sid("CA", i + 1);
    }

    static String child(int i) {
        return sid("CA", 0x100 + i);
    }

    /** The page: parent i created i minutes before 10:00 on May 3; a child leg of parents 0 and 20, 5 s after them. */
    static List<String> callsNewestFirst() {
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < PARENTS; i++) {
            if (i % 20 == 0) {
                calls.add(leg(child(i), parent(i), at(i, 5)));
            }
            calls.add(leg(parent(i), null, at(i, 0)));
        }
        return calls;
    }

    /** "Fri, 03 May 2024 09:MM:SS +0000": {@code minutesBefore} minutes before 10:00, plus {@code seconds}. */
    static String at(int minutesBefore, int seconds) {
        int minute = 60 - minutesBefore;
        return String.format("Fri, 03 May 2024 %02d:%02d:%02d +0000", minute == 60 ? 10 : 9, minute % 60, seconds);
    }



    /** Parent i's recording, 30 s after it; the child legs' recordings are filed under their parents. */
    static String parentRecording(int i) {
        return recording(sid("RE", i + 1), parent(i), at(i, 30));
    }

    static String childRecording(int i) {
        return recording(sid("RE", 0x100 + i), parent(i), at(i, 20));
    }

    /** Every recording of the page's calls, newest first, then one older than the oldest call: the join ends there. */
    static List<String> pageRecordings() {
        List<String> recordings = new ArrayList<>();
        for (int i = 0; i < PARENTS; i++) {
            recordings.add(parentRecording(i));
            if (i % 20 == 0) {
                recordings.add(childRecording(i));
            }
        }
        recordings.add(recording(sid("RE", 0xeee), OTHER_CALL, "Thu, 02 May 2024 23:00:00 +0000"));
        return recordings;
    }

    static String recordingsPage(List<String> recordings, String nextToken) {
        return "{\"recordings\":[" + String.join(",", recordings) + "],\"page\":0,\"page_size\":400,\"uri\":\""
                + RECORDINGS + "\",\"previous_page_uri\":null,\"next_page_uri\":" + (nextToken == null ? "null"
                        : "\"" + RECORDINGS + "?PageSize=400&Page=1&PageToken=" + nextToken + "\"")
                + "}";
    }

    /** The calls page of {@code calls}, answered after {@code millis}. */
    void stubCalls(List<String> calls, int millis) {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(calls, 0, 100, null)).withFixedDelay(millis)));
    }

    /** Each child leg's own list: the recording made on it (Twilio files it under the parent in the account list). */
    void stubChildLists() {
        for (int i = 0; i < PARENTS; i += 20) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(child(i)))).willReturn(json(
                    ListCallsSuite.recordingsPage(parent(i), sid("RE", 0x100 + i)))));
        }
    }

    /** Parents {@code from} to {@code to}'s own lists: each its recording. */
    void stubParentLists(int from, int to) {
        stubParentLists(from, to, 0);
    }

    /** The same, each answered after {@code millis}. */
    void stubParentLists(int from, int to, int millis) {
        for (int i = from; i <= to; i++) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(parent(i))))
                    .willReturn(json(ListCallsSuite.recordingsPage(parent(i), sid("RE", i + 1))).withFixedDelay(millis)));
        }
    }

    /** The most requests the service had in flight for the account while {@code list} ran, sampled each ms. */
    int mostInFlightDuring(Runnable list) {
        AtomicInteger most = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> most.accumulateAndGet(limiter.inFlight(TestAccounts.ACCOUNT_SID), Math::max),
                0, 1, TimeUnit.MILLISECONDS);
        try {
            list.run();
        } finally {
            sampler.shutdownNow();
        }
        return most.get();
    }

    /** Runs {@code list} while half of the account's 32 slots are held by other requests: the account has no room. */
    void withHalfTheSlotsHeld(Runnable list) {
        List<AccountLimiter.Lease> held = IntStream.range(0, 16)
                .mapToObj(n -> limiter.acquire(TestAccounts.ACCOUNT_SID, Turn.FOLLOW_UP)
                        .await().atMost(Duration.ofSeconds(5)))
                .toList();
        try {
            list.run();
        } finally {
            held.forEach(AccountLimiter.Lease::release);
        }
    }

    /** The first page of the account list as the speculative read asks for it: no date filter, no cursor. */
    static RequestPatternBuilder firstRecordingsPage() {
        return getRequestedFor(urlPathEqualTo(RECORDINGS))
                .withQueryParam("DateCreated>", absent())
                .withQueryParam("DateCreated<", absent())
                .withQueryParam("PageToken", absent())
                .withQueryParam("PageSize", WireMock.equalTo("400"));
    }

    /** Parent i: its recording, and its child leg's when it has one (Twilio's order: newest first). */
    static List<String> expectedSids(int i) {
        return i % 20 == 0 ? List.of(sid("RE", i + 1), sid("RE", 0x100 + i)) : List.of(sid("RE", i + 1));
    }

    void assertAllRecordingSids(ValidatableResponse response) {
        List<String> calls = response.extract().jsonPath().getList("calls.call_sid");
        List<List<String>> recordings = response.extract().jsonPath().getList("calls.recording_sids");
        int row = 0;
        for (int i = 0; i < PARENTS; i++) {
            if (i % 20 == 0) {
                assertEquals(child(i), calls.get(row));
                assertEquals(List.of(sid("RE", 0x100 + i)), recordings.get(row++), "child leg " + i);
            }
            assertEquals(parent(i), calls.get(row));
            assertEquals(expectedSids(i), recordings.get(row++), "parent leg " + i);
        }
    }

    static ValidatableResponse latest(int pageSize) {
        return action(body(",\"page_size\":" + pageSize)).statusCode(200);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void theFirstRecordingsPageIsReadBesideTheCallsPageAndSettlesEveryParentLeg() {
        stubCalls(callsNewestFirst(), 1000);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", absent())
                .willReturn(json(recordingsPage(pageRecordings(), "PA1"))));
        stubChildLists();

        assertAllRecordingSids(validOutput(latest(100).body("success", equalTo(true)).body("error", nullValue())));

        // The calls page, one recordings page (no date filter: the newest recordings, whatever the calls' days) and
        // the two child legs: 4 requests, the same as without the speculation (the join's page, after the calls).
        twilio.verify(1, getRequestedFor(urlPathEqualTo(CALLS)).withQueryParam("PageSize", WireMock.equalTo("100")));
        twilio.verify(1, firstRecordingsPage());
        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(child(0)))));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(child(20)))));
        assertEquals(4, twilio.getAllServeEvents().size());
        // Sent while the calls page (1 s) was still on its way, not after it.
        ServeEvent page = served(Pattern.quote(CALLS)).get(0);
        ServeEvent recordings = served(Pattern.quote(RECORDINGS)).get(0);
        assertTrue(start(recordings) < end(page), "the recordings page is asked for before the calls page is answered");
    }

    @Test
    void aFirstPageThatDoesNotReachBackFarEnoughIsFollowedByItsOwnCursor() {
        stubCalls(callsNewestFirst(), 0);
        // Newer recordings of other calls fill the first page; the calls' own come on the second.
        List<String> newer = IntStream.range(0, 20)
                .mapToObj(n -> recording(sid("RE", 0x1000 + n), OTHER_CALL, "Sat, 04 May 2024 12:00:00 +0000")).toList();
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", absent())
                .willReturn(json(recordingsPage(newer, "PA1"))));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", WireMock.equalTo("PA1"))
                .willReturn(json(recordingsPage(pageRecordings(), "PA2"))));
        stubChildLists();

        assertAllRecordingSids(validOutput(latest(100).body("success", equalTo(true)).body("error", nullValue())));

        twilio.verify(1, firstRecordingsPage());
        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", WireMock.equalTo("PA1"))
                .withQueryParam("Page", WireMock.equalTo("1")).withQueryParam("PageSize", WireMock.equalTo("400"))
                .withQueryParam("DateCreated>", absent()));
        twilio.verify(2, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        assertEquals(2, served(ANY_CALL_RECORDINGS).size(), "the child legs only");
    }

    @Test
    void aPageWithFewCallsUsesTheFirstPageOnlyAndLooksUpTheCallsItDidNotSettle() {
        // Asked for 100, Twilio has 6: parents 0-4 and the child leg of parent 0. The first page reaches back to
        // parent 2's recording only (then a link): within the budget of one page for 5 parent legs, parents 0-1 are
        // settled, 2-4 are looked up one by one, as is the child leg.
        List<String> calls = callsNewestFirst().subList(0, 6);
        stubCalls(calls, 0);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", absent())
                .willReturn(json(recordingsPage(List.of(parentRecording(0), childRecording(0), parentRecording(1),
                        parentRecording(2)), "PA1"))));
        stubChildLists();
        for (int i = 2; i < 5; i++) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(parent(i))))
                    .willReturn(json(ListCallsSuite.recordingsPage(parent(i), sid("RE", i + 1)))));
        }

        ValidatableResponse response = validOutput(latest(100).body("success", equalTo(true)).body("error", nullValue()));
        assertEquals(List.of(List.of(sid("RE", 0x100)), expectedSids(0), expectedSids(1), expectedSids(2),
                expectedSids(3), expectedSids(4)), response.extract().jsonPath().getList("calls.recording_sids"));

        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        twilio.verify(1, firstRecordingsPage());
        for (int i = 0; i < 5; i++) {
            twilio.verify(i < 2 ? 0 : 1, getRequestedFor(urlPathEqualTo(recordingsPath(parent(i)))));
        }
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(child(0)))));
        assertEquals(1 + 1 + 3 + 1, twilio.getAllServeEvents().size());
    }

    @Test
    void aFailedFirstPageLeavesTheJoinToStartFromTheOldestCallsDay() {
        stubCalls(callsNewestFirst(), 0);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", absent())
                .willReturn(fixture(500, "error-20500.json")));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", WireMock.equalTo("2024-05-03"))
                .willReturn(json(recordingsPage(pageRecordings(), "PA1"))));
        stubChildLists();

        assertAllRecordingSids(validOutput(latest(100).body("success", equalTo(true)).body("error", nullValue())));

        // The speculative page with its 3 retries, then the join as without it: from the oldest call's UTC day,
        // sized for its 40 parent legs, no upper bound.
        twilio.verify(4, firstRecordingsPage());
        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", WireMock.equalTo("2024-05-03"))
                .withQueryParam("DateCreated<", absent()).withQueryParam("PageSize", WireMock.equalTo("160"))
                .withQueryParam("PageToken", absent()));
        twilio.verify(5, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        assertEquals(2, served(ANY_CALL_RECORDINGS).size(), "the child legs only");
    }

    @Test
    void otherQueriesDoNotSpeculate() {
        stubCalls(callsNewestFirst(), 0);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(pageRecordings(), "PA1"))));
        stubChildLists();

        // A cursor, a start-time filter, no recordings: the join (if any) starts from the oldest call's day, after
        // the calls page. No call here has a start time, so the filtered page is empty; without recordings only the
        // calls page is sent.
        action(body(",\"page_size\":100,\"page_token\":\"" + token("1", "PA" + "1".repeat(32)) + "\""))
                .statusCode(200).body("success", equalTo(true));
        action(body(",\"page_size\":100,\"start_time_after\":\"2024-05-03\"")).statusCode(200)
                .body("success", equalTo(true));
        action(body(",\"page_size\":100,\"include_recordings\":false")).statusCode(200)
                .body("success", equalTo(true));

        twilio.verify(3, getRequestedFor(urlPathEqualTo(CALLS)));
        twilio.verify(0, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", absent()));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", WireMock.equalTo("2024-05-03")));
    }

    /** Parents 1 to n: "the latest n calls", all parent legs. */
    static List<String> latestParents(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> leg(parent(i), null, at(i, 0))).toList();
    }

    static List<String> latestTen() {
        return latestParents(10);
    }

    void assertLatestTen(ValidatableResponse response) {
        assertLatestParents(10, response);
    }

    void assertLatestParents(int n, ValidatableResponse response) {
        assertEquals(IntStream.rangeClosed(1, n).mapToObj(ListCallsSpeculativeJoinTest::parent).toList(),
                response.extract().jsonPath().getList("calls.call_sid"));
        assertEquals(IntStream.rangeClosed(1, n).mapToObj(i -> List.of(sid("RE", i + 1))).toList(),
                response.extract().jsonPath().getList("calls.recording_sids"));
    }

    @Test
    void aSmallPageIsSettledByTheFirstRecordingsPageReadBesideIt() {
        stubCalls(latestTen(), 0);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(pageRecordings(), "PA1"))));

        assertLatestTen(validOutput(latest(10).body("success", equalTo(true)).body("error", nullValue())));

        // One round trip: the calls page and the first recordings page (sized for 10 calls, at least 50), which
        // reaches back past the oldest call. No per-call lookup, no second page.
        twilio.verify(1, getRequestedFor(urlPathEqualTo(CALLS)));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", absent())
                .withQueryParam("PageToken", absent()).withQueryParam("PageSize", WireMock.equalTo("50")));
        assertEquals(0, served(ANY_CALL_RECORDINGS).size());
        assertEquals(2, twilio.getAllServeEvents().size());
    }

    @Test
    void aSmallPageLooksUpWhatTheFirstRecordingsPageLeavesOnePerCallWithoutASecondPage() {
        // 20 calls (up to 2 x the lookup concurrency of 16: a page that would not join without the first page).
        stubCalls(latestParents(20), 0);
        // The first page holds parents 0 to 4's recordings and goes on: it settles parents 1 to 3 (created after
        // its oldest recording, parent 4's at 09:56:30); parents 4 to 20 are looked up one by one, and its next
        // page, which would come after it, where those lookups already go, is not read.
        List<String> newest = IntStream.rangeClosed(0, 4).mapToObj(ListCallsSpeculativeJoinTest::parentRecording).toList();
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(newest, "PA1"))));
        stubParentLists(4, 20);

        assertLatestParents(20, validOutput(latest(20).body("success", equalTo(true)).body("error", nullValue())));

        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        assertEquals(IntStream.rangeClosed(4, 20).mapToObj(i -> recordingsPath(parent(i))).sorted().toList(),
                served(ANY_CALL_RECORDINGS).stream().map(event -> event.getRequest().getUrl().replaceFirst("\\?.*", ""))
                        .sorted().toList());
        assertEquals(19, twilio.getAllServeEvents().size());
    }

    @Test
    void aSmallPageLooksUpWhatTheFirstPageLeavesBesideItsChildLegsNotAfterThem() {
        // A child leg of parent 1 (at 09:59:45) that the first page cannot rule out: a recording filed under
        // parent 1 at 09:59:50, after it. The page settles parents 1 to 3 and leaves 4 to 10. Every lookup takes
        // 300 ms: the child leg's and the 7 parents' are in flight together, in one round.
        List<String> calls = new ArrayList<>(latestTen());
        calls.add(0, leg(child(1), parent(1), at(1, 45)));
        stubCalls(calls, 0);
        String ofChild = recording(sid("RE", 0x200), parent(1), at(1, 50));
        List<String> first = new ArrayList<>(List.of(parentRecording(0), ofChild));
        IntStream.rangeClosed(1, 4).forEach(i -> first.add(parentRecording(i)));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(first, "PA1"))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(child(1))))
                .willReturn(json(ListCallsSuite.recordingsPage(parent(1), sid("RE", 0x200))).withFixedDelay(300)));
        stubParentLists(4, 10, 300);

        AtomicReference<ValidatableResponse> answer = new AtomicReference<>();
        int most = mostInFlightDuring(
                () -> answer.set(validOutput(latest(10).body("success", equalTo(true)).body("error", nullValue()))));
        ValidatableResponse response = answer.get();

        assertEquals(Stream.concat(Stream.of(child(1)), IntStream.rangeClosed(1, 10).mapToObj(ListCallsSpeculativeJoinTest::parent))
                .toList(), response.extract().jsonPath().getList("calls.call_sid"));
        List<List<String>> sids = response.extract().jsonPath().getList("calls.recording_sids");
        assertEquals(List.of(sid("RE", 0x200)), sids.get(0), "the child leg, from its own list");
        assertEquals(List.of(sid("RE", 0x200), sid("RE", 2)), sids.get(1), "parent 1, from the first page");
        IntStream.rangeClosed(2, 10).forEach(i -> assertEquals(List.of(sid("RE", i + 1)), sids.get(i), "parent " + i));
        assertEquals(8, served(ANY_CALL_RECORDINGS).size(), "the child leg and parents 4 to 10");
        twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        assertEquals(8, most, "the 8 lookups in one round");
    }

    @Test
    void aSmallPageOfABusyAccountIsLookedUpPerCallAsBefore() {
        stubCalls(latestTen(), 0);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(pageRecordings(), null))));
        stubParentLists(1, 10);
        withHalfTheSlotsHeld(
                () -> assertLatestTen(validOutput(latest(10).body("success", equalTo(true)).body("error", nullValue()))));

        twilio.verify(0, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        assertEquals(10, served(ANY_CALL_RECORDINGS).size());
    }

    @Test
    void theDefaultPageOfFiftySpeculatesOnlyWhileTheAccountHasRoom() {
        stubCalls(callsNewestFirst(), 0);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(pageRecordings(), null))));
        stubChildLists();
        RequestPatternBuilder head = getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", absent())
                .withQueryParam("PageSize", WireMock.equalTo("200"));
        RequestPatternBuilder fromOldestDay = getRequestedFor(urlPathEqualTo(RECORDINGS))
                .withQueryParam("DateCreated>", WireMock.equalTo("2024-05-03"));

        // Half of the account's 32 slots held by other requests: no room, so the join starts after the calls page.
        withHalfTheSlotsHeld(
                () -> assertAllRecordingSids(validOutput(latest(50).body("success", equalTo(true)).body("error", nullValue()))));
        twilio.verify(0, head);
        twilio.verify(1, fromOldestDay);

        // Room again: the first join page is read beside the calls page, and gives the same SIDs.
        twilio.resetRequests();
        assertAllRecordingSids(validOutput(latest(50).body("success", equalTo(true)).body("error", nullValue())));
        twilio.verify(1, head);
        twilio.verify(0, fromOldestDay);
    }

    @Test
    void childLegsBesideTheJoinGoInEvenRoundsWithinTheAccountsBound() {
        // 52 child legs: with 32 slots, one kept for the join's page, two rounds of 26 (not 31 then 21, and not the
        // lookup concurrency of 16, which would take four rounds).
        List<String> calls = new ArrayList<>(callsNewestFirst());
        List<String> children = IntStream.range(0, 50).mapToObj(n -> sid("CA", 0x2000 + n)).toList();
        children.forEach(child -> calls.add(0, leg(child, parent(0), at(0, 10))));
        stubCalls(calls, 0);
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(pageRecordings(), null))));
        stubChildLists();
        for (String child : children) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(child)))
                    .willReturn(json(ListCallsSuite.recordingsPage(parent(0))).withFixedDelay(300)));
        }

        // The service's own count of requests in flight (WireMock serves only a dozen at once).
        int most = mostInFlightDuring(() -> latest(100).body("success", equalTo(true)).body("error", nullValue())
                .body("total", equalTo(PARENTS + 52)));

        assertEquals(52, served(ANY_CALL_RECORDINGS).size(), "one lookup per child leg, none for a parent leg");
        assertTrue(most > 16 && most <= 26, "two rounds of at most 26 lookups, saw " + most + " at once");
    }

    /** Parents 0-39 with their recordings; a child leg of parents 0, 10, 20 and 35, each 45 s after its parent. */
    static List<String> lateChildLegs() {
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < PARENTS; i++) {
            if (i % 10 == 0 || i == 35) {
                calls.add(leg(child(i), parent(i), at(i, 45)));
            }
            calls.add(leg(parent(i), null, at(i, 0)));
        }
        return calls;
    }

    @Test
    void childLegsThatTheFirstPageShowsWithoutRecordingsAreNotLookedUp() {
        // Every parent's recording is 30 s after it, before its child leg (45 s): a recording of the child would be
        // filed under the parent and created after the child, and the page, which ends the list, has none.
        stubCalls(lateChildLegs(), 0);
        List<String> recordings = IntStream.range(0, PARENTS).mapToObj(ListCallsSpeculativeJoinTest::parentRecording).toList();
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(recordings, null))));

        ValidatableResponse response = validOutput(latest(100).body("success", equalTo(true)).body("error", nullValue()));

        List<String> calls = response.extract().jsonPath().getList("calls.call_sid");
        List<List<String>> sids = response.extract().jsonPath().getList("calls.recording_sids");
        for (int row = 0; row < calls.size(); row++) {
            int n = Integer.parseInt(calls.get(row).substring(2), 16);
            assertEquals(n >= 0x100 ? List.of() : List.of(sid("RE", n)), sids.get(row), calls.get(row));
        }
        assertEquals(PARENTS + 5, calls.size());
        // The calls page and the recordings page: no child leg's own list.
        assertEquals(0, served(ANY_CALL_RECORDINGS).size());
        assertEquals(2, twilio.getAllServeEvents().size());
    }

    @Test
    void aChildLegIsLookedUpWhenTheFirstPageCannotRuleOutItsRecordings() {
        // Child 0: its parent has a recording after it (at 50 s, the child's, filed under the parent). Child 10: a
        // recording filed under its own SID. Child 35: older than the first page, which ends at parent 31's recording, reaches back. Child 20 and 30: the
        // page shows none for them, so they are the only ones not looked up.
        stubCalls(lateChildLegs(), 0);
        String ofChild0 = recording(sid("RE", 0x200), parent(0), at(0, 50));
        String ofChild10 = recording(sid("RE", 0x300), child(10), at(10, 50));
        List<String> first = new ArrayList<>(List.of(ofChild0));
        for (int i = 0; i < 32; i++) {
            if (i == 10) {
                first.add(ofChild10);
            }
            first.add(parentRecording(i));
        }
        List<String> second = IntStream.range(32, PARENTS).mapToObj(ListCallsSpeculativeJoinTest::parentRecording).toList();
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", absent())
                .willReturn(json(recordingsPage(first, "PA1"))));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", WireMock.equalTo("PA1"))
                .willReturn(json(recordingsPage(second, null))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(child(0))))
                .willReturn(json(ListCallsSuite.recordingsPage(parent(0), sid("RE", 0x200)))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(child(10))))
                .willReturn(json(ListCallsSuite.recordingsPage(child(10), sid("RE", 0x300)))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(child(35)))).willReturn(json(ListCallsSuite.recordingsPage(parent(35)))));

        ValidatableResponse response = validOutput(latest(100).body("success", equalTo(true)).body("error", nullValue()));

        List<String> calls = response.extract().jsonPath().getList("calls.call_sid");
        List<List<String>> sids = response.extract().jsonPath().getList("calls.recording_sids");
        assertEquals(List.of(sid("RE", 0x200)), sids.get(calls.indexOf(child(0))));
        assertEquals(List.of(sid("RE", 0x200), sid("RE", 1)), sids.get(calls.indexOf(parent(0))));
        assertEquals(List.of(sid("RE", 0x300)), sids.get(calls.indexOf(child(10))));
        assertEquals(List.of(), sids.get(calls.indexOf(child(20))));
        assertEquals(List.of(), sids.get(calls.indexOf(child(30))));
        assertEquals(List.of(), sids.get(calls.indexOf(child(35))));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(child(0)))));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(child(10)))));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(child(35)))));
        assertEquals(3, served(ANY_CALL_RECORDINGS).size(), "children 20 and 30 are not looked up");
        twilio.verify(2, getRequestedFor(urlPathEqualTo(RECORDINGS)));
    }

    @Test
    void aFailingCallsPageFailsTheActionWithoutWaitingForTheFirstRecordingsPage() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(401, "error-20003.json")));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(pageRecordings(), null))
                .withFixedDelay(5_000)));

        // Answered from the calls page's failure: the recordings page (never answered within an attempt's 2.5 s) is
        // not waited for.
        latest(100).body("success", equalTo(false)).body("error", startsWith("unauthorized: "));

        assertEquals(0, served(ANY_CALL_RECORDINGS).size());
        // Its slot comes back once its attempts are over (the per-attempt timeout, 2.5 s in the tests, and its
        // retries: Twilio's fault tolerance does not pass a cancellation on to the attempt under way).
        await().atMost(Duration.ofSeconds(40)).until(() -> limiter.inFlight(TestAccounts.ACCOUNT_SID) == 0);
        assertTrue(served(Pattern.quote(RECORDINGS)).size() <= 4, "at most the first attempt and 3 retries");
    }

    @Test
    void cancellingTheActionLeavesNoSlotHeld() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(callsNewestFirst(), 0, 100, null))
                .withFixedDelay(5_000)));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(json(recordingsPage(pageRecordings(), null))
                .withFixedDelay(5_000)));
        ListCallsInput input = new ListCallsInput(TestAccounts.ACCOUNT_SID, null, null, null, null, null, 1000, null, null);
        ActionContext context = new ActionContext(null, CREDENTIALS, Surface.TOOL_CALL, null, ActionContext.Progress.NONE);

        AtomicReference<Object> outcome = new AtomicReference<>();
        Cancellable running = listCalls.run(input, context).subscribe().with(outcome::set, outcome::set);
        // Both sent beside each other (each holds a slot while in flight), neither answered within an attempt.
        await().atMost(Duration.ofSeconds(20)).until(() -> limiter.inFlight(TestAccounts.ACCOUNT_SID) == 2);
        running.cancel();

        // The attempts under way are cancelled with the action (TwilioClient: a read's caller went away), not left to
        // their timeout: every slot is back at once, the cancelled action never gets an outcome, and no retry
        // follows, not even after the attempts' own timeout (2.5 s here) would have passed.
        await().atMost(Duration.ofSeconds(20)).until(() -> limiter.inFlight(TestAccounts.ACCOUNT_SID) == 0
                && limiter.queued(TestAccounts.ACCOUNT_SID) == 0);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                served(Pattern.quote(CALLS)).size() == 1 && served(Pattern.quote(RECORDINGS)).size() == 1);
        assertEquals(null, outcome.get());
    }
}
