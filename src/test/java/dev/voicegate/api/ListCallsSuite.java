package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.BASIC;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.ServiceApi;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.restassured.response.ValidatableResponse;
/**
 * list_calls end to end: the service's output, and exactly what Twilio receives (calls page + recording lookups).
 * The set-up and helpers of the {@code ListCalls*Test} suites, which split the behaviour between them.
 */
@WithTestResource(WireMockTwilio.class)
abstract class ListCallsSuite {

    static final String CA1 = "CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    static final String CA2 = "CAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    static final String CA3 = "CAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
    static final String CA4 = "CAd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4";
    static final String RE5 = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    static final String RE6 = "REf6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6";

    @InjectWireMock
    WireMockServer twilio;

    /** The default of voicegate.list-calls.recording-lookup-concurrency, which the tests do not override. */
    static final int LOOKUP_CONCURRENCY = 16;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    static String body(String extra) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"" + extra + "}";
    }

    static ValidatableResponse action(String json) {
        return ServiceApi.action("list_calls", json);
    }

    static ValidatableResponse rest(String query) {
        return ServiceApi.get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls" + (query.isEmpty() ? "" : "?" + query));
    }

    static ValidatableResponse validOutput(ValidatableResponse response) {
        ContractSchemas.assertValidOutput("list_calls", response.extract().asString());
        return response;
    }

    static String recordingsPath(String callSid) {
        return ACCOUNT + "/Calls/" + callSid + "/Recordings.json";
    }

    /** A Call resource as Twilio sends it; {@code startTime} RFC 2822 or null. */
    static String call(String sid, String startTime) {
        String start = startTime == null ? "null" : "\"" + startTime + "\"";
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"sid\":\"" + sid + "\","
                + "\"to\":\"+14155551212\",\"from\":\"+15017122661\",\"status\":\"completed\","
                + "\"direction\":\"outbound-api\",\"duration\":\"7\",\"price\":\"-0.01400\",\"price_unit\":\"USD\","
                + "\"start_time\":" + start + ",\"end_time\":null,"
                + "\"date_created\":\"Wed, 01 May 2024 00:00:00 +0000\","
                + "\"uri\":\"" + ACCOUNT + "/Calls/" + sid + ".json\"}";
    }

    static String callsPage(List<String> calls, int page, int pageSize, String nextPageUri) {
        return "{\"calls\":[" + String.join(",", calls) + "],\"page\":" + page + ",\"page_size\":" + pageSize
                + ",\"start\":0,\"end\":" + Math.max(0, calls.size() - 1) + ",\"uri\":\"" + CALLS + "\","
                + "\"first_page_uri\":\"" + CALLS + "?PageSize=" + pageSize + "&Page=0\","
                + "\"next_page_uri\":" + (nextPageUri == null ? "null" : "\"" + nextPageUri + "\"")
                + ",\"previous_page_uri\":null}";
    }

    static String recordingsPage(String callSid, String... recordingSids) {
        String items = Stream.of(recordingSids).map(re -> "{\"sid\":\"" + re + "\",\"call_sid\":\"" + callSid
                + "\",\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"status\":\"completed\",\"duration\":\"4\","
                + "\"channels\":1,\"source\":\"RecordVerb\",\"price\":\"-0.0025\",\"price_unit\":\"USD\"}")
                .collect(Collectors.joining(","));
        return "{\"recordings\":[" + items + "],\"page\":0,\"page_size\":1000,\"start\":0,\"end\":0,"
                + "\"uri\":\"" + recordingsPath(callSid) + "?PageSize=1000&Page=0\","
                + "\"first_page_uri\":\"" + recordingsPath(callSid) + "?PageSize=1000&Page=0\","
                + "\"next_page_uri\":null,\"previous_page_uri\":null}";
    }

    void stubFixturePage() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page.json")));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).willReturn(fixture(200, "call-recordings.json")));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(fixture(200, "call-recordings-empty.json")));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA3))).willReturn(json(recordingsPage(CA3))));
    }

    List<ServeEvent> served(String pathRegex) {
        List<ServeEvent> events = new ArrayList<>(twilio.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().split("\\?", 2)[0].matches(pathRegex)).toList());
        events.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        return events;
    }

    /** The raw request line target of the single calls-page request, as it travelled on the wire. */
    String rawCallsUrl() {
        List<ServeEvent> events = served(Pattern.quote(CALLS));
        assertEquals(1, events.size(), "one calls-page request");
        return events.get(0).getRequest().getUrl();
    }

    static RequestPatternBuilder callsRequest() {
        return getRequestedFor(urlPathEqualTo(CALLS)).withHeader("Authorization", WireMock.equalTo(BASIC));
    }

    static String token(String pagePart, String pageToken) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((pagePart + ":" + pageToken).getBytes(StandardCharsets.UTF_8));
    }

    /** Page {@code n} of a call's recordings: one recording, and a link to page n + 1. */
    static String endlessRecordingsPage(String callSid, int n) {
        String page = recordingsPage(callSid, String.format("RE%032x", n));
        return page.replace("\"next_page_uri\":null", "\"next_page_uri\":\"" + recordingsPath(callSid)
                + "?PageSize=1000&Page=" + (n + 1) + "&PageToken=PA" + String.format("RE%032x", n) + "\"");
    }

    /** When a request was received by WireMock, in epoch ms. */
    static long start(ServeEvent event) {
        return event.getRequest().getLoggedDate().getTime();
    }

    /** When WireMock finished answering it (delay included), in epoch ms. */
    static long end(ServeEvent event) {
        return start(event) + event.getTiming().getTotalTime();
    }

    /**
     * Largest number of requests in flight at once, from the logged intervals. Intervals are half-open and
     * shortened by 1 ms so that a request sent right after another finished (millisecond rounding) is not counted
     * as overlapping it.
     */
    static int maxOverlap(List<ServeEvent> events) {
        List<long[]> edges = new ArrayList<>();
        for (ServeEvent event : events) {
            assertNotNull(event.getTiming().getTotalTime(), "timed serve event");
            edges.add(new long[] { start(event), +1 });
            edges.add(new long[] { end(event) - 1, -1 });
        }
        // At the same instant, ends before starts.
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int max = 0;
        for (long[] edge : edges) {
            current += (int) edge[1];
            max = Math.max(max, current);
        }
        return max;
    }

    /** The recording SID {@link #stubCallsWithRecordings} gives the {@code i}th call (from 0). */
    static String recordingSid(int i) {
        return String.format("RE%032x", i + 1);
    }

    /** A page of {@code n} calls, each with one recording whose lookup takes {@code lookupMillis}. */
    static List<String> stubCallsWithRecordings(WireMockServer twilio, int n, int pageMillis, int lookupMillis) {
        List<String> callSids = IntStream.range(0, n).mapToObj(i -> String.format("CA%032x", i + 1)).toList();
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(
                callSids.stream().map(sid -> call(sid, "Fri, 03 May 2024 14:00:02 +0000")).toList(),
                0, 50, null)).withFixedDelay(pageMillis)));
        for (int i = 0; i < n; i++) {
            twilio.stubFor(get(urlPathEqualTo(recordingsPath(callSids.get(i))))
                    .willReturn(json(recordingsPage(callSids.get(i), recordingSid(i)))
                            .withFixedDelay(lookupMillis)));
        }
        return callSids;
    }
}
