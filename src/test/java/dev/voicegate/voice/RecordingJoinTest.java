package dev.voicegate.voice;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioCalls.leg;
import static dev.voicegate.testing.TwilioCalls.recording;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.voicegate.observability.ActionMetrics;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioCallPage;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.voice.RecordingFanOut.Lookup.Outcome;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The account-list join gives exactly what one lookup per call gives: both strategies run on the same WireMock
 * fixtures and their results are compared, for child legs, recordings created the day after their call, several
 * recordings per call (one pair in the same second), recordings of calls not in the page, paging over several
 * recordings pages, and every fallback to per-call lookups (page budget spent, part of the calls settled, a failed
 * page). A lookup concurrency of 2 makes the join start above 4 calls, so small fixtures reach it.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@TestProfile(RecordingJoinTest.LookupConcurrencyTwo.class)
class RecordingJoinTest {

    public static class LookupConcurrencyTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicegate.list-calls.recording-lookup-concurrency", "2");
        }
    }

    static final String RECORDINGS = ACCOUNT + "/Recordings.json";
    static final TwilioCredentials CREDENTIALS = new TwilioCredentials(TestAccounts.ACCOUNT_SID,
            TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN);

    static final String C1 = sid("CA", 1);
    static final String C2 = sid("CA", 2); // child leg of C1
    static final String C3 = sid("CA", 3);
    static final String C4 = sid("CA", 4);
    static final String C5 = sid("CA", 5);
    static final String C6 = sid("CA", 6); // the oldest call
    static final String OTHER_CALL = sid("CA", 99);

    static final String R1A = sid("RE", 0x1a);
    static final String R1B = sid("RE", 0x1b);
    static final String R2 = sid("RE", 0x2a); // made on the child leg, filed under its parent C1
    static final String R4 = sid("RE", 0x4a);
    static final String R5 = sid("RE", 0x5a);
    static final String R6A = sid("RE", 0x6a);
    static final String R6B = sid("RE", 0x6b);
    static final String X1 = sid("RE", 0xf1);
    static final String X2 = sid("RE", 0xf2);
    static final String X3 = sid("RE", 0xf3);
    static final String X4 = sid("RE", 0xf4);

    /** Newest first, as Twilio lists them. */
    static final List<String> CALLS = List.of(
            leg(C1, null, "Fri, 03 May 2024 10:00:00 +0000"),
            leg(C2, C1, "Fri, 03 May 2024 10:00:05 +0000"),
            leg(C3, null, "Fri, 03 May 2024 08:00:00 +0000"),
            leg(C4, null, "Thu, 02 May 2024 23:59:50 +0000"),
            leg(C5, null, "Thu, 02 May 2024 12:00:00 +0000"),
            leg(C6, null, "Thu, 02 May 2024 06:00:00 +0000"));

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    RecordingFanOut fanOut;

    @Inject
    TwilioClient client;

    @Inject
    RecordingJoin join;

    @Inject
    ActionMetrics metrics;

    /** The same beans with the join disabled, as {@code voicegate.list-calls.recording-join=false} configures it. */
    RecordingFanOut perCallOnly() {
        return new RecordingFanOut(client, join, metrics, 2, false);
    }

    @Inject
    ObjectMapper json;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        stubPerCallLists();
    }

    // ------------------------------------------------------------------ fixtures

    static String sid(String prefix, int n) {
        return String.format("%s%032x", prefix, n);
    }



    static final String REC_X1 = recording(X1, OTHER_CALL, "Fri, 03 May 2024 11:00:00 +0000");
    static final String REC_1A = recording(R1A, C1, "Fri, 03 May 2024 10:05:00 +0000");
    static final String REC_2 = recording(R2, C1, "Fri, 03 May 2024 10:03:00 +0000");
    static final String REC_1B = recording(R1B, C1, "Fri, 03 May 2024 10:01:00 +0000");
    /** Created the day after its call. */
    static final String REC_4 = recording(R4, C4, "Fri, 03 May 2024 00:00:20 +0000");
    static final String REC_X2 = recording(X2, OTHER_CALL, "Thu, 02 May 2024 18:00:00 +0000");
    static final String REC_5 = recording(R5, C5, "Thu, 02 May 2024 12:00:30 +0000");
    static final String REC_X4 = recording(X4, OTHER_CALL, "Thu, 02 May 2024 11:00:00 +0000");
    /** Two recordings in the same second: Twilio's order is kept. */
    static final String REC_6B = recording(R6B, C6, "Thu, 02 May 2024 06:00:40 +0000");
    static final String REC_6A = recording(R6A, C6, "Thu, 02 May 2024 06:00:40 +0000");
    /** Older than the oldest call: reading it ends the join. */
    static final String REC_X3 = recording(X3, OTHER_CALL, "Thu, 02 May 2024 05:00:00 +0000");

    static String page(String listPath, List<String> recordings, String nextToken) {
        return "{\"recordings\":[" + String.join(",", recordings) + "],\"page\":0,\"page_size\":50,\"uri\":\""
                + listPath + "\",\"first_page_uri\":\"" + listPath + "?PageSize=50&Page=0\",\"previous_page_uri\":null,"
                + "\"next_page_uri\":" + (nextToken == null ? "null"
                        : "\"" + listPath + "?DateCreated%3E=2024-05-02&PageSize=50&Page=1&PageToken=" + nextToken + "\"")
                + "}";
    }

    static String perCallPath(String callSid) {
        return ACCOUNT + "/Calls/" + callSid + "/Recordings.json";
    }

    /** What one lookup per call finds; C2 is a child leg whose recording is filed under its parent C1. */
    void stubPerCallLists() {
        Map<String, List<String>> perCall = Map.of(
                C1, List.of(REC_1A, REC_2, REC_1B), C2, List.of(REC_2), C3, List.of(), C4, List.of(REC_4),
                C5, List.of(REC_5), C6, List.of(REC_6B, REC_6A));
        perCall.forEach((call, recordings) -> twilio.stubFor(get(urlPathEqualTo(perCallPath(call)))
                .willReturn(json(page(perCallPath(call), recordings, null)))));
    }

    /** The account list from 2024-05-02 on, newest first, as pages; the last one has a next link. */
    @SafeVarargs
    final void stubAccountList(List<String>... pages) {
        for (int i = 0; i < pages.length; i++) {
            twilio.stubFor(get(urlPathEqualTo(RECORDINGS))
                    .withQueryParam("DateCreated>", WireMock.equalTo("2024-05-02"))
                    .withQueryParam("PageToken", i == 0 ? absent() : WireMock.equalTo("PA" + i))
                    .willReturn(json(page(RECORDINGS, pages[i], "PA" + (i + 1)))));
        }
    }

    List<TwilioCall> calls(List<String> calls) {
        try {
            return json.readValue("{\"calls\":[" + String.join(",", calls) + "]}", TwilioCallPage.class).calls();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Call SID → recording SIDs, or "failed" when the lookup failed. The bound is for a busy machine (a CI run beside
     * other builds took over 20 s for the per-call and join lookups of 20 calls at concurrency 2), not a timing check.
     */
    List<String> outcome(List<TwilioCall> calls, RecordingFanOut fanOut) {
        return fanOut.lookup(CREDENTIALS, calls).await().atMost(Duration.ofSeconds(90)).stream()
                .map(l -> l.callSid() + "=" + (l.outcome() == Outcome.FAILED ? "failed" : l.recordingSids()))
                .toList();
    }

    /** Runs both strategies on the same fixtures; the requests journal then holds only the join's requests. */
    List<String> compareStrategies(List<TwilioCall> calls) {
        List<String> perCall = outcome(calls, perCallOnly());
        twilio.resetRequests();
        List<String> joined = outcome(calls, fanOut);
        assertEquals(perCall, joined, "the join gives what one lookup per call gives");
        return joined;
    }

    static final List<String> EXPECTED = List.of(
            C1 + "=" + List.of(R1A, R2, R1B), C2 + "=" + List.of(R2), C3 + "=[]", C4 + "=" + List.of(R4),
            C5 + "=" + List.of(R5), C6 + "=" + List.of(R6B, R6A));

    void verifyPerCall(List<String> looked) {
        for (String call : List.of(C1, C2, C3, C4, C5, C6)) {
            twilio.verify(looked.contains(call) ? 1 : 0, getRequestedFor(urlPathEqualTo(perCallPath(call))));
        }
    }

    // ------------------------------------------------------------------ the join

    @Test
    void joinOverThreePagesGivesExactlyThePerCallResultAndStopsOncePastTheOldestCall() {
        stubAccountList(
                List.of(REC_X1, REC_1A, REC_2, REC_1B),
                List.of(REC_4, REC_X2, REC_5),
                List.of(REC_6B, REC_6A, REC_X3),
                List.of(recording(sid("RE", 0xff), C6, "Thu, 02 May 2024 04:00:00 +0000")));

        assertEquals(EXPECTED, compareStrategies(calls(CALLS)));

        // Three pages (the budget: ceil(5 joinable calls / 2)), all from the oldest call's UTC day, no upper bound;
        // the fourth page is never read. Only the child leg is looked up on its own.
        twilio.verify(3, getRequestedFor(urlPathEqualTo(RECORDINGS))
                .withQueryParam("DateCreated>", WireMock.equalTo("2024-05-02"))
                .withQueryParam("DateCreated<", absent())
                .withQueryParam("PageSize", WireMock.equalTo("50")));
        twilio.verify(0, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("PageToken", WireMock.equalTo("PA3")));
        verifyPerCall(List.of(C2));
    }

    @Test
    void smallPagesUseOneLookupPerCall() {
        List<TwilioCall> four = calls(CALLS.subList(0, 4)); // 3 parent legs: not more than twice the concurrency
        assertEquals(EXPECTED.subList(0, 4), compareStrategies(four));
        twilio.verify(0, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        verifyPerCall(List.of(C1, C2, C3, C4));
    }

    // ------------------------------------------------------------------ fallbacks

    @Test
    void aWindowWithFarMoreRecordingsThanCallsFallsBackToPerCallAfterThePageBudget() {
        List<String> busy = Stream.iterate(0x100, n -> n + 1).limit(20)
                .map(n -> recording(sid("RE", n), OTHER_CALL, "Fri, 03 May 2024 12:00:00 +0000")).toList();
        stubAccountList(busy, busy, busy, busy, busy);

        assertEquals(EXPECTED, compareStrategies(calls(CALLS)));

        twilio.verify(3, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        verifyPerCall(List.of(C1, C2, C3, C4, C5, C6));
    }

    @Test
    void callsThePagesReachedPastAreSettledAndOnlyTheOthersAreLookedUp() {
        stubAccountList(
                List.of(REC_X1, REC_1A, REC_2, REC_1B),
                List.of(REC_4, REC_X2),
                List.of(REC_5, REC_X4),
                List.of(REC_6B, REC_6A, REC_X3));

        assertEquals(EXPECTED, compareStrategies(calls(CALLS)));

        // The budget ends the join at 11:00 on May 2: C1, C3, C4, C5 were created after it; C6 was not.
        twilio.verify(3, getRequestedFor(urlPathEqualTo(RECORDINGS)));
        verifyPerCall(List.of(C2, C6));
    }

    @Test
    void aFailingAccountListFallsBackToPerCallAndAFailedLookupIsStillReportedAsPartial() {
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(fixture(500, "error-20500.json")));
        twilio.stubFor(get(urlPathEqualTo(perCallPath(C5))).willReturn(fixture(500, "error-20500.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls.json")).willReturn(json("{\"calls\":["
                + String.join(",", CALLS) + "],\"page\":0,\"page_size\":50,\"next_page_uri\":null}")));

        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .contentType(ContentType.JSON).body("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"}")
                .post("/v1/actions/list_calls").then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", startsWith("partial: "))
                .body("error", containsString("1 of 6 calls"))
                .body("error", containsString(C5))
                .body("calls.call_sid", contains(C1, C2, C3, C4, C5, C6))
                .body("calls[0].recording_sids", contains(R1A, R2, R1B))
                .body("calls[1].recording_sids", contains(R2))
                .body("calls[2].recording_sids", empty())
                .body("calls[3].recording_sids", contains(R4))
                .body("calls[4].recording_sids", empty())
                .body("calls[5].recording_sids", contains(R6B, R6A));

        // The account list with its retries, twice: read beside the calls page (the default page of 50 on an
        // idle account), then from the oldest call's day; then every call on its own (C5 with its retries too).
        twilio.verify(4, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", absent()));
        twilio.verify(4, getRequestedFor(urlPathEqualTo(RECORDINGS)).withQueryParam("DateCreated>", WireMock.equalTo("2024-05-02")));
        twilio.verify(4, getRequestedFor(urlPathEqualTo(perCallPath(C5))));
        for (String call : List.of(C1, C2, C3, C4, C6)) {
            twilio.verify(1, getRequestedFor(urlPathEqualTo(perCallPath(call))));
        }

        twilio.resetRequests();
        List<String> perCall = outcome(calls(CALLS), perCallOnly());
        assertEquals(perCall, outcome(calls(CALLS), fanOut));
        assertEquals(C5 + "=failed", perCall.get(4));
    }
}
