package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.ANY_CALL_RECORDINGS;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.inTurn;
import static dev.voicegate.testing.TwilioStubs.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.ContractSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
/** list_calls: the recording lookups, their partial failures and retries, and their concurrency bound. */
@QuarkusTest
class ListCallsRecordingsTest extends ListCallsSuite {

    @Test
    void aLookupThatKeepsFailingMakesAPartialResultNamingThatCall() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page.json")));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).willReturn(fixture(200, "call-recordings.json")));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(fixture(500, "error-20500.json")));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA3)))
                .willReturn(json(recordingsPage(CA3, "RE33333333333333333333333333333333"))));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", startsWith("partial: "))
                .body("error", containsString(CA2))
                .body("error", not(containsString(CA1)))
                .body("error", not(containsString(CA3)))
                .body("error", containsString("1 of 3 calls"))
                .body("total", equalTo(3))
                .body("calls.call_sid", contains(CA1, CA2, CA3))
                .body("calls[0].recording_sids", contains(RE5, RE6))
                .body("calls[1].recording_sids", empty())
                .body("calls[2].recording_sids", contains("RE33333333333333333333333333333333")));

        // The first attempt and 3 retries.
        twilio.verify(4, getRequestedFor(urlPathEqualTo(recordingsPath(CA2))));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(CA1))));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(CA3))));
        twilio.verify(1, callsRequest());
    }

    /** Recordings past the pages read per call are not dropped silently: the result is partial, naming the call. */
    @Test
    void aCallWhoseRecordingsRunPastThePageLimitIsReportedAsPartial() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(call(CA1, null), call(CA2, null)), 0, 50, null))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).withQueryParam("Page", absent())
                .willReturn(json(endlessRecordingsPage(CA1, 0))));
        for (int n = 1; n <= 10; n++) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).withQueryParam("Page", WireMock.equalTo(String.valueOf(n)))
                    .willReturn(json(endlessRecordingsPage(CA1, n))));
        }
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(json(recordingsPage(CA2, RE6))));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", startsWith("partial: the recordings of 1 of 2 calls run past the 10 pages read per call ("
                        + CA1 + "); their recording_sids hold only those pages. Retrying will not help."))
                .body("calls[0].recording_sids", contains(IntStream.range(0, 10)
                        .mapToObj(n -> String.format("RE%032x", n)).toArray()))
                .body("calls[1].recording_sids", contains(RE6)));

        twilio.verify(10, getRequestedFor(urlPathEqualTo(recordingsPath(CA1))));
        twilio.verify(0, getRequestedFor(urlPathEqualTo(recordingsPath(CA1))).withQueryParam("Page", WireMock.equalTo("10")));
    }

    @Test
    void restAnswers200ForAPartialResult() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(call(CA1, null), call(CA2, null)), 0, 50, null))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(json(recordingsPage(CA2, RE6))));

        String json = rest("").statusCode(200)
                .body("success", equalTo(true))
                .body("error", startsWith("partial: "))
                .body("error", containsString(CA1))
                .body("calls[0].recording_sids", empty())
                .body("calls[1].recording_sids", contains(RE6))
                .extract().asString();
        ContractSchemas.assertValidOutput("list_calls", json);
        twilio.verify(4, getRequestedFor(urlPathEqualTo(recordingsPath(CA1))));
    }

    @Test
    void aCallSidFromTwilioThatIsNotACallSidIsNeverPutInAPath() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(
                call("CA../../Recordings/RE1", null), call(CA2, null)), 0, 50, null))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(json(recordingsPage(CA2, RE6))));

        validOutput(action(body(""))
                .body("success", equalTo(true))
                .body("error", startsWith("partial: "))
                .body("error", containsString("1 of 2 calls"))
                .body("calls[0].recording_sids", empty())
                .body("calls[1].recording_sids", contains(RE6)));
        // The page, the newest recordings read beside it (unanswered here) and the one valid lookup only.
        assertEquals(3, twilio.getAllServeEvents().size(), "the page, the recordings beside it and the one valid lookup only");
        assertTrue(twilio.getAllServeEvents().stream().noneMatch(event -> event.getRequest().getUrl().contains("..")));
    }

    @Test
    void lookupRetriedAfter503ThenSucceedingIsNoError() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(call(CA1, null), call(CA2, null)), 0, 50, null))));
        inTurn(twilio, () -> get(urlPathEqualTo(recordingsPath(CA1))),
                fixture(503, "error-20500.json"), fixture(503, "error-20500.json"), fixture(200, "call-recordings.json"));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(json(recordingsPage(CA2))));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("calls[0].recording_sids", contains(RE5, RE6))
                .body("calls[1].recording_sids", empty()));
        twilio.verify(3, getRequestedFor(urlPathEqualTo(recordingsPath(CA1))));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(recordingsPath(CA2))));
    }

    @Test
    void recordingListsSpanningPagesAreFollowed() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(call(CA1, null)), 0, 50, null))));
        String firstPage = recordingsPage(CA1, RE5).replace("\"next_page_uri\":null",
                "\"next_page_uri\":\"" + recordingsPath(CA1) + "?PageSize=1000&PageToken=PAREe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5&Page=1\"");
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).withQueryParam("PageToken", absent())
                .willReturn(json(firstPage)));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1)))
                .withQueryParam("PageToken", WireMock.equalTo("PAREe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5"))
                .withQueryParam("Page", WireMock.equalTo("1"))
                .willReturn(json(recordingsPage(CA1, RE6))));

        validOutput(action(body(""))
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("calls[0].recording_sids", contains(RE5, RE6)));
        twilio.verify(2, getRequestedFor(urlPathEqualTo(recordingsPath(CA1))).withQueryParam("PageSize", WireMock.equalTo("1000")));
    }

    @Test
    void recordingLookupsRunInParallelButNeverMoreThanTheBound() {
        int n = 40;
        List<String> callSids = IntStream.range(0, n).mapToObj(i -> String.format("CA%032x", i + 1)).toList();
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(
                callSids.stream().map(sid -> call(sid, "Fri, 03 May 2024 14:00:02 +0000")).toList(), 0, 50, null))));
        for (int i = 0; i < n; i++) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(callSids.get(i))))
                    .willReturn(json(recordingsPage(callSids.get(i), String.format("RE%032x", i + 1))).withFixedDelay(150)));
        }
        // 40 calls are more than twice the bound, so the fan-out first tries the account's recordings list
        // (RecordingJoinTest); with that list unavailable it falls back to one lookup per call, under the same bound.
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Recordings.json")).willReturn(fixture(404, "error-20404.json")));

        ValidatableResponse response = validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("total", equalTo(n)));
        List<String> callsOut = response.extract().jsonPath().getList("calls.call_sid");
        List<List<String>> recordingsOut = response.extract().jsonPath().getList("calls.recording_sids");
        assertEquals(callSids, callsOut);
        for (int i = 0; i < n; i++) {
            assertEquals(List.of(String.format("RE%032x", i + 1)), recordingsOut.get(i), callSids.get(i));
        }

        List<ServeEvent> lookups = served(ANY_CALL_RECORDINGS);
        assertEquals(n, lookups.size(), "one lookup per call");
        int overlap = maxOverlap(lookups);
        assertTrue(overlap > 1, "lookups must run in parallel, max overlap was " + overlap);
        assertTrue(overlap <= LOOKUP_CONCURRENCY, "at most " + LOOKUP_CONCURRENCY + " lookups in flight, saw " + overlap);
    }
}
