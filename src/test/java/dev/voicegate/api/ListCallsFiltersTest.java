package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.ANY_CALL_RECORDINGS;
import static dev.voicegate.testing.TwilioStubs.BASIC;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.TwilioStubs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
/** list_calls: filters and the date window as Twilio receives them, and every call field mapped exactly. */
@QuarkusTest
class ListCallsFiltersTest extends ListCallsSuite {

    @Test
    void mapsEveryFilterToTwilioWithOperatorsAndPlusSignsPercentEncoded() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page.json")));

        validOutput(action(body(",\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"status\":\"completed\","
                + "\"start_time_after\":\"2024-05-01\",\"start_time_before\":\"2024-05-03\",\"page_size\":3,"
                + "\"include_recordings\":false"))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue()));

        twilio.verify(1, callsRequest()
                .withQueryParam("To", WireMock.equalTo("+14155551212"))
                .withQueryParam("From", WireMock.equalTo("+15017122661"))
                .withQueryParam("Status", WireMock.equalTo("completed"))
                .withQueryParam("StartTime>", WireMock.equalTo("2024-05-01"))
                // "before" is exclusive at Twilio: the day after the inclusive bound is asked for, then filtered.
                .withQueryParam("StartTime<", WireMock.equalTo("2024-05-04"))
                .withQueryParam("PageSize", WireMock.equalTo("3"))
                .withQueryParam("Page", absent())
                .withQueryParam("PageToken", absent()));
        String url = rawCallsUrl();
        assertTrue(url.contains("StartTime%3E=2024-05-01"), url);
        assertTrue(url.contains("StartTime%3C=2024-05-04"), url);
        assertFalse(url.contains(">") || url.contains("<"), "operators travel percent-encoded: " + url);
        assertTrue(url.contains("To=%2B14155551212"), "'+' must travel as %2B: " + url);
        assertTrue(url.contains("From=%2B15017122661"), "'+' must travel as %2B: " + url);
        twilio.verify(0, getRequestedFor(urlPathMatching(ANY_CALL_RECORDINGS)));
    }

    @Test
    void restFiltersUseTheSameTwilioQueryAndFromIsAccepted() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));

        String json = rest("to=%2B14155550142&from=%2B15017122661&status=busy&start_time_after=2024-04-30"
                + "&start_time_before=2024-04-30&page_size=20&include_recordings=false")
                .statusCode(200)
                .header("Link", nullValue())
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA4))
                .extract().asString();
        ContractSchemas.assertValidOutput("list_calls", json);

        twilio.verify(1, callsRequest()
                .withQueryParam("To", WireMock.equalTo("+14155550142"))
                .withQueryParam("From", WireMock.equalTo("+15017122661"))
                .withQueryParam("Status", WireMock.equalTo("busy"))
                .withQueryParam("StartTime>", WireMock.equalTo("2024-04-30"))
                .withQueryParam("StartTime<", WireMock.equalTo("2024-05-01"))
                .withQueryParam("PageSize", WireMock.equalTo("20")));
        String url = rawCallsUrl();
        assertTrue(url.contains("StartTime%3E=2024-04-30") && url.contains("To=%2B14155550142"), url);
    }

    @Test
    void defaultsToFiftyPerPageAndMapsEveryCallFieldExactly() {
        stubFixturePage();

        ValidatableResponse response = validOutput(action(body(""))
                .statusCode(200)
                .header(Responses.NEXT_PAGE_TOKEN, notNullValue())
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(3))
                .body("page", equalTo(0))
                .body("page_size", equalTo(3))
                .body("calls.call_sid", contains(CA1, CA2, CA3))

                .body("calls[0].from_", equalTo("+15017122661"))
                .body("calls[0].to", equalTo("+14155551212"))
                .body("calls[0].status", equalTo("completed"))
                .body("calls[0].direction", equalTo("outbound-api"))
                .body("calls[0].duration", equalTo(15))
                .body("calls[0].price", equalTo("-0.03000"))
                .body("calls[0].price_unit", equalTo("USD"))
                .body("calls[0].start_time", equalTo("2024-05-03T14:00:02Z"))
                .body("calls[0].end_time", equalTo("2024-05-03T14:00:17Z"))
                .body("calls[0].date_created", equalTo("2024-05-03T14:00:00Z"))
                .body("calls[0].recording_sids", contains(RE5, RE6))

                .body("calls[1].to", equalTo("+14155550199"))
                .body("calls[1].status", equalTo("no-answer"))
                .body("calls[1].duration", equalTo(0))
                .body("calls[1].price", nullValue())
                .body("calls[1].start_time", equalTo("2024-05-02T09:15:01Z"))
                .body("calls[1].end_time", equalTo("2024-05-02T09:16:01Z"))
                .body("calls[1].date_created", equalTo("2024-05-02T09:15:00Z"))
                .body("calls[1].recording_sids", empty())

                .body("calls[2].status", equalTo("queued"))
                .body("calls[2].duration", nullValue())
                .body("calls[2].price", nullValue())
                .body("calls[2].start_time", nullValue())
                .body("calls[2].end_time", nullValue())
                .body("calls[2].date_created", equalTo("2024-05-01T18:45:00Z"))
                .body("calls[2].recording_sids", empty()));
        // Twilio's own fields never leak into the contract output.
        response.body("calls[0]", not(org.hamcrest.Matchers.hasKey("subresource_uris")))
                .body("calls[0]", not(org.hamcrest.Matchers.hasKey("sid")));

        twilio.verify(1, callsRequest()
                .withQueryParam("PageSize", WireMock.equalTo("50"))
                .withQueryParam("To", absent())
                .withQueryParam("From", absent())
                .withQueryParam("Status", absent())
                .withQueryParam("StartTime>", absent())
                .withQueryParam("StartTime<", absent())
                .withQueryParam("Page", absent())
                .withQueryParam("PageToken", absent()));
        String url = rawCallsUrl();
        assertEquals(CALLS + "?PageSize=50", url);
        for (String call : List.of(CA1, CA2, CA3)) {
            twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(call)))
                    .withHeader("Authorization", WireMock.equalTo(BASIC))
                    .withQueryParam("PageSize", WireMock.equalTo("1000"))
                    .withQueryParam("Page", absent())
                    .withQueryParam("PageToken", absent()));
        }
        // The default page of 50, on an idle account, also reads the account's newest recordings beside the calls
        // page (RecordingFanOut.speculates); unanswered here, so the calls are looked up one by one.
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TwilioStubs.ACCOUNT + "/Recordings.json"))
                .withQueryParam("PageSize", WireMock.equalTo("200"))
                .withQueryParam("DateCreated>", absent())
                .withQueryParam("PageToken", absent()));
        assertEquals(5, twilio.getAllServeEvents().size(),
                "the calls page, the recordings page beside it and one lookup per call, nothing else");
    }

    @Test
    void recordingSidsFollowTheCallsOrderWhateverOrderTheLookupsFinishIn() {
        List<String> sids = List.of(CA1, CA2, CA3, CA4);
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(
                sids.stream().map(sid -> call(sid, "Fri, 03 May 2024 14:00:02 +0000")).toList(), 0, 50, null))));
        // The first call answers last, the last call first.
        int[] delays = { 400, 250, 100, 0 };
        String[][] recordings = { { RE5 }, { RE6, "RE11111111111111111111111111111111" }, {}, { "RE22222222222222222222222222222222" } };
        for (int i = 0; i < sids.size(); i++) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(sids.get(i))))
                    .willReturn(json(recordingsPage(sids.get(i), recordings[i])).withFixedDelay(delays[i])));
        }

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(4))
                .body("calls.call_sid", contains(CA1, CA2, CA3, CA4))
                .body("calls[0].recording_sids", contains(RE5))
                .body("calls[1].recording_sids", contains(RE6, "RE11111111111111111111111111111111"))
                .body("calls[2].recording_sids", empty())
                .body("calls[3].recording_sids", contains("RE22222222222222222222222222222222")));

        // The lookups really did complete in another order than the calls'.
        List<ServeEvent> lookups = served(ANY_CALL_RECORDINGS);
        assertEquals(4, lookups.size());
        List<String> completionOrder = lookups.stream()
                .sorted((a, b) -> Long.compare(end(a), end(b)))
                .map(e -> e.getRequest().getUrl().replaceAll(".*/Calls/(CA[0-9a-f]+)/.*", "$1"))
                .toList();
        assertEquals(List.of(CA4, CA3, CA2, CA1), completionOrder);
    }

    @Test
    void withoutRecordingsNoLookupIsMadeAndTheListsAreEmpty() {
        stubFixturePage();

        validOutput(action(body(",\"include_recordings\":false"))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(3))
                .body("calls.recording_sids", contains(empty(), empty(), empty())));

        twilio.verify(1, callsRequest());
        twilio.verify(0, getRequestedFor(urlPathMatching(".*/Recordings.*")));
    }

    @Test
    void emptyPageIsASuccessWithNoLookups() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(), 0, 50, null))));

        validOutput(action(body(""))
                .statusCode(200)
                .header(Responses.NEXT_PAGE_TOKEN, nullValue())
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(0))
                .body("calls", empty())
                .body("page", equalTo(0))
                .body("page_size", equalTo(50)));
        // The calls page and the newest recordings read beside it (the default page of 50 on an idle account).
        assertEquals(2, twilio.getAllServeEvents().size());
        twilio.verify(0, getRequestedFor(urlPathMatching(ANY_CALL_RECORDINGS)));
    }

    @Test
    void dateWindowIsInclusiveAtBothEndsInUtc() {
        List<String> calls = List.of(
                call("CA00000000000000000000000000000001", "Wed, 01 May 2024 23:59:59 +0000"), // day before: out
                call("CA00000000000000000000000000000002", "Thu, 02 May 2024 00:00:00 +0000"), // first instant: in
                call("CA00000000000000000000000000000003", "Thu, 02 May 2024 01:30:00 +0200"), // 1 May 23:30Z: out
                call("CA00000000000000000000000000000004", "Fri, 03 May 2024 12:00:00 +0000"), // inside: in
                call("CA00000000000000000000000000000005", "Fri, 03 May 2024 23:59:59 +0000"), // last second: in
                call("CA00000000000000000000000000000006", "Fri, 03 May 2024 22:30:00 -0200"), // 4 May 00:30Z: out
                call("CA00000000000000000000000000000007", "Sat, 04 May 2024 01:00:00 +0200"), // 3 May 23:00Z: in
                call("CA00000000000000000000000000000008", "Sat, 04 May 2024 00:00:00 +0000"), // day after: out
                call("CA00000000000000000000000000000009", null)); // never started: out
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(calls, 0, 50, null))));

        validOutput(action(body(",\"start_time_after\":\"2024-05-02\",\"start_time_before\":\"2024-05-03\","
                + "\"include_recordings\":false"))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("calls.call_sid", contains("CA00000000000000000000000000000002",
                        "CA00000000000000000000000000000004", "CA00000000000000000000000000000005",
                        "CA00000000000000000000000000000007"))
                .body("calls.start_time", contains("2024-05-02T00:00:00Z", "2024-05-03T12:00:00Z",
                        "2024-05-03T23:59:59Z", "2024-05-03T23:00:00Z"))
                .body("total", equalTo(4)));

        twilio.verify(1, callsRequest()
                .withQueryParam("StartTime>", WireMock.equalTo("2024-05-02"))
                .withQueryParam("StartTime<", WireMock.equalTo("2024-05-04")));
    }

    @Test
    void recordingsAreLookedUpOnlyForCallsInsideTheWindow() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(
                call(CA1, "Sat, 04 May 2024 00:00:00 +0000"),
                call(CA2, "Fri, 03 May 2024 10:00:00 +0000"),
                call(CA3, "Wed, 01 May 2024 23:59:59 +0000")), 0, 50, null))));
        twilio.stubFor(get(urlPathMatching(ANY_CALL_RECORDINGS)).willReturn(json(recordingsPage(CA2, RE6))));

        validOutput(action(body(",\"start_time_after\":\"2024-05-02\",\"start_time_before\":\"2024-05-03\""))
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(1))
                .body("calls.call_sid", contains(CA2))
                .body("calls[0].recording_sids", contains(RE6)));
        twilio.verify(1, getRequestedFor(urlPathMatching(ANY_CALL_RECORDINGS)));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(CA2))));
    }

    @Test
    void sameDayWindowKeepsOnlyThatDay() {
        List<String> calls = List.of(
                call(CA1, "Fri, 03 May 2024 00:00:00 +0000"),
                call(CA2, "Thu, 02 May 2024 23:59:59 +0000"),
                call(CA3, "Fri, 03 May 2024 23:59:59 +0000"));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(calls, 0, 50, null))));

        validOutput(action(body(",\"start_time_after\":\"2024-05-03\",\"start_time_before\":\"2024-05-03\","
                + "\"include_recordings\":false"))
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA1, CA3)));
        twilio.verify(1, callsRequest()
                .withQueryParam("StartTime>", WireMock.equalTo("2024-05-03"))
                .withQueryParam("StartTime<", WireMock.equalTo("2024-05-04")));
    }

    @Test
    void onlyTheAfterBoundSendsOnlyStartTimeGreater() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(
                call(CA1, "Fri, 03 May 2024 00:00:00 +0000"), call(CA2, "Thu, 02 May 2024 23:59:59 +0000")), 0, 50, null))));

        validOutput(action(body(",\"start_time_after\":\"2024-05-03\",\"include_recordings\":false"))
                .body("calls.call_sid", contains(CA1)));
        twilio.verify(1, callsRequest()
                .withQueryParam("StartTime>", WireMock.equalTo("2024-05-03"))
                .withQueryParam("StartTime<", absent()));
    }

    @Test
    void afterLaterThanBeforeIsRejectedWithoutCallingTwilio() {
        validOutput(action(body(",\"start_time_after\":\"2024-05-04\",\"start_time_before\":\"2024-05-03\""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString("'start_time_after' must not be later than 'start_time_before'")));
        rest("start_time_after=2024-05-04&start_time_before=2024-05-03")
                .statusCode(400)
                .body("error", startsWith("invalid_request: "));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
