package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.Breakers;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** list_calls end to end: the service's output, and exactly what Twilio receives (calls page + recording lookups). */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class ListCallsTest {

    static final String ACCOUNT = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID;
    static final String CALLS = ACCOUNT + "/Calls.json";
    static final String ANY_CALL_RECORDINGS = ACCOUNT + "/Calls/CA[0-9a-fA-F]{32}/Recordings\\.json";
    static final String BASIC = TestAccounts.basic(TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN);

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
        twilio.resetAll();
        Breakers.resetAll();
    }

    // ------------------------------------------------------------------ helpers

    static String body(String extra) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"" + extra + "}";
    }

    static ValidatableResponse action(String json) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .contentType(ContentType.JSON).body(json)
                .post("/v1/actions/list_calls").then();
    }

    static ValidatableResponse rest(String query) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .urlEncodingEnabled(false)
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls" + (query.isEmpty() ? "" : "?" + query))
                .then();
    }

    static ValidatableResponse validOutput(ValidatableResponse response) {
        ContractSchemas.assertValidOutput("list_calls", response.extract().asString());
        return response;
    }

    static String recordingsPath(String callSid) {
        return ACCOUNT + "/Calls/" + callSid + "/Recordings.json";
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder twilioError(int status, String fixture) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(Fixtures.read(fixture));
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
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(Fixtures.read("calls-page.json"))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).willReturn(json(Fixtures.read("call-recordings.json"))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(json(Fixtures.read("call-recordings-empty.json"))));
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

    // ------------------------------------------------------------------ filters and wire encoding

    @Test
    void mapsEveryFilterToTwilioWithOperatorsAndPlusSignsPercentEncoded() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(Fixtures.read("calls-page.json"))));

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
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(Fixtures.read("calls-page-last.json"))));

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
        assertEquals(4, twilio.getAllServeEvents().size(), "one page request and one lookup per call, nothing else");
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
        assertEquals(1, twilio.getAllServeEvents().size());
    }

    // ------------------------------------------------------------------ date window

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

    // ------------------------------------------------------------------ validation

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("to not E.164", body(",\"to\":\"4155551212\""), "'to' must be a phone number"),
                Arguments.of("to with spaces", body(",\"to\":\"+1 415 555 1212\""), "'to' must be a phone number"),
                Arguments.of("to as number", body(",\"to\":14155551212"), "'to' must be a string"),
                Arguments.of("from_ not E.164", body(",\"from_\":\"+0123\""), "'from_' must be a phone number"),
                Arguments.of("from alias not E.164", body(",\"from\":\"client:alice\""), "'from_' must be a phone number"),
                Arguments.of("from and from_", body(",\"from\":\"+15017122661\",\"from_\":\"+15017122661\""), "not both"),
                // An alias is renamed first: every error names the parameter as the contract does.
                Arguments.of("from alias with a control character", body(",\"from\":\"+15017122661\\r\\n\""), "'from_' must not contain control characters"),
                Arguments.of("status unknown", body(",\"status\":\"done\""), "'status' must be one of"),
                Arguments.of("status wrong case", body(",\"status\":\"Completed\""), "'status' must be one of"),
                Arguments.of("after not a date", body(",\"start_time_after\":\"yesterday\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("after with time", body(",\"start_time_after\":\"2024-05-01T00:00:00Z\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("after unpadded", body(",\"start_time_after\":\"2024-5-1\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("after impossible day", body(",\"start_time_after\":\"2024-02-30\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("before US format", body(",\"start_time_before\":\"05/03/2024\""), "'start_time_before' must be a date as YYYY-MM-DD"),
                Arguments.of("before month 13", body(",\"start_time_before\":\"2024-13-01\""), "'start_time_before' must be a date as YYYY-MM-DD"),
                Arguments.of("page_size 0", body(",\"page_size\":0"), "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size 1001", body(",\"page_size\":1001"), "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size negative", body(",\"page_size\":-5"), "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size as string", body(",\"page_size\":\"50\""), "'page_size' must be an integer"),
                Arguments.of("page_size as float", body(",\"page_size\":2.5"), "'page_size' must be an integer"),
                Arguments.of("include_recordings as string", body(",\"include_recordings\":\"true\""), "'include_recordings' must be true or false"),
                Arguments.of("include_recordings as number", body(",\"include_recordings\":1"), "'include_recordings' must be true or false"),
                Arguments.of("unknown parameter", body(",\"direction\":\"inbound\""), "unknown parameter 'direction'"),
                Arguments.of("Twilio-style parameter", body(",\"PageSize\":10"), "unknown parameter 'PageSize'"),
                Arguments.of("page_token garbage", body(",\"page_token\":\"not a token!\""), "'page_token' is not a cursor"),
                Arguments.of("page_token not base64 cursor", body(",\"page_token\":\"abc\""), "'page_token' is not a cursor"),
                Arguments.of("page_token bad Twilio token", body(",\"page_token\":\"" + token("1", "XX123") + "\""), "'page_token' is not a cursor"),
                Arguments.of("page_token smuggling a parameter", body(",\"page_token\":\""
                        + token("1", "PAabc&To=%2B1") + "\""), "'page_token' is not a cursor"),
                Arguments.of("page_token bad page", body(",\"page_token\":\"" + token("-1", "PAabc") + "\""), "'page_token' is not a cursor"),
                Arguments.of("page_token too long", body(",\"page_token\":\"" + "A".repeat(600) + "\""), "'page_token' is not a cursor"),
                Arguments.of("account_sid malformed", body("").replace(TestAccounts.ACCOUNT_SID, "AC123"), "'account_sid' must be an Account SID"),
                Arguments.of("account_sid missing", "{\"page_size\":5}", "'account_sid' is required"),
                Arguments.of("control character", body(",\"status\":\"completed\\r\\nX: y\""), "'status' must not contain control characters"),
                Arguments.of("not json", "{\"page_size\": ", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInputNamingTheParameterWithoutCallingTwilio(String name, String json, String expected) {
        validOutput(action(json)
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected))
                .body("calls", empty())
                .body("total", equalTo(0)));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("unknown query parameter", "direction=inbound", "unknown query parameter 'direction'"),
                Arguments.of("Twilio-style name", "PageSize=10", "unknown query parameter 'PageSize'"),
                Arguments.of("repeated parameter", "status=busy&status=failed", "query parameter 'status' must be given once"),
                Arguments.of("page_size not a number", "page_size=ten", "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size 0", "page_size=0", "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size 1001", "page_size=1001", "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("include_recordings yes", "include_recordings=yes", "'include_recordings' must be true or false"),
                Arguments.of("to with literal plus (a space)", "to=+14155551212", "'to' must be a phone number"),
                Arguments.of("bad date", "start_time_before=2024-05-3", "'start_time_before' must be a date as YYYY-MM-DD"),
                Arguments.of("bad status", "status=all", "'status' must be one of"),
                Arguments.of("bad page_token", "page_token=xyz", "'page_token' is not a cursor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void restRejectsBadQueryWith400WithoutCallingTwilio(String name, String query, String expected) {
        ValidatableResponse response = rest(query)
                .statusCode(400)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected));
        ContractSchemas.assertValidOutput("list_calls", response.extract().asString());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void restRejectsAMalformedAccountSidInThePath() {
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/AC123/calls")
                .then().statusCode(400)
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString("'account_sid'"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    // ------------------------------------------------------------------ paging

    @Test
    void pageTokenFromTheLinkHeaderFetchesTwiliosNextPage() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(json(Fixtures.read("calls-page.json"))));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.matching(".+"))
                .willReturn(json(Fixtures.read("calls-page-last.json"))));

        ExtractableResponse<Response> first = rest("page_size=3&include_recordings=false&status=completed")
                .statusCode(200)
                .body("calls.call_sid", contains(CA1, CA2, CA3))
                .body("page", equalTo(0))
                .extract();
        ContractSchemas.assertValidOutput("list_calls", first.asString());
        String link = first.header("Link");
        assertNotNull(link, "a next page exists, so a Link header is expected");
        Matcher next = Pattern.compile("^<([^>]+)>; rel=\"next\"$").matcher(link);
        assertTrue(next.matches(), link);
        String nextUrl = next.group(1);
        Matcher tokenMatch = Pattern.compile("[?&]page_token=([A-Za-z0-9_-]+)(&|$)").matcher(nextUrl);
        assertTrue(tokenMatch.find(), nextUrl);
        String pageToken = tokenMatch.group(1);
        assertTrue(nextUrl.contains("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?"), nextUrl);
        assertTrue(nextUrl.contains("page_size=3") && nextUrl.contains("status=completed")
                && nextUrl.contains("include_recordings=false"), "the next link keeps the filters: " + nextUrl);
        assertFalse(pageToken.contains("PACAc3"), "the token is opaque, not Twilio's raw token");

        // Follow the link exactly as given.
        ExtractableResponse<Response> second = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .urlEncodingEnabled(false).get(nextUrl)
                .then().statusCode(200)
                .header("Link", nullValue())
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA4))
                .body("page", equalTo(1))
                .body("page_size", equalTo(3))
                .body("total", equalTo(1))
                .extract();
        ContractSchemas.assertValidOutput("list_calls", second.asString());

        twilio.verify(2, callsRequest());
        twilio.verify(1, callsRequest()
                .withQueryParam("Page", WireMock.equalTo("1"))
                .withQueryParam("PageToken", WireMock.equalTo("PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"))
                .withQueryParam("PageSize", WireMock.equalTo("3"))
                .withQueryParam("Status", WireMock.equalTo("completed")));
    }

    @Test
    void toolCallPageTokenRoundTripsThroughTheNextPageTokenHeader() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(json(Fixtures.read("calls-page.json"))));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.matching(".+"))
                .willReturn(json(Fixtures.read("calls-page-last.json"))));

        String pageToken = validOutput(action(body(",\"page_size\":3,\"include_recordings\":false")).statusCode(200))
                .extract().header(Responses.NEXT_PAGE_TOKEN);
        assertNotNull(pageToken);
        assertTrue(pageToken.matches("[A-Za-z0-9_-]{1,512}"), "the contract's page_token pattern: " + pageToken);
        ContractSchemas.assertValidInput("list_calls",
                body(",\"page_size\":3,\"include_recordings\":false,\"page_token\":\"" + pageToken + "\""));

        validOutput(action(body(",\"page_size\":3,\"include_recordings\":false,\"page_token\":\"" + pageToken + "\""))
                .statusCode(200)
                .header(Responses.NEXT_PAGE_TOKEN, nullValue())
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA4))
                .body("page", equalTo(1)));

        twilio.verify(1, callsRequest()
                .withQueryParam("Page", WireMock.equalTo("1"))
                .withQueryParam("PageToken", WireMock.equalTo("PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"))
                .withQueryParam("PageSize", WireMock.equalTo("3")));
        List<ServeEvent> pages = served(Pattern.quote(CALLS));
        assertEquals(2, pages.size());
        String url = pages.get(1).getRequest().getUrl();
        assertTrue(url.contains("Page=1") && url.contains("PageToken=PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"), url);
    }

    @Test
    void followingLinksPageAfterPageReplacesThePageToken() {
        String page1 = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID + "/Calls.json?PageSize=1&Page=1&PageToken=PACAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
        String page2 = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID + "/Calls.json?PageSize=1&Page=2&PageToken=PACAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(json(callsPage(List.of(call(CA1, null)), 0, 1, page1))));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.equalTo("PACAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"))
                .willReturn(json(callsPage(List.of(call(CA2, null)), 1, 1, page2))));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.equalTo("PACAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"))
                .willReturn(json(callsPage(List.of(call(CA3, null)), 2, 1, null))));

        List<String> seen = new ArrayList<>();
        String url = "/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?page_size=1&include_recordings=false";
        for (int i = 0; i < 5 && url != null; i++) {
            ExtractableResponse<Response> page = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                    .urlEncodingEnabled(false).get(url)
                    .then().statusCode(200).body("success", equalTo(true)).extract();
            seen.addAll(page.jsonPath().getList("calls.call_sid"));
            String link = page.header("Link");
            url = link == null ? null : link.substring(1, link.indexOf('>'));
            if (url != null) {
                assertEquals(1, url.split("page_token=", -1).length - 1, "exactly one page_token: " + url);
            }
        }
        assertEquals(List.of(CA1, CA2, CA3), seen);
        twilio.verify(3, callsRequest().withQueryParam("PageSize", WireMock.equalTo("1")));
        twilio.verify(1, callsRequest().withQueryParam("Page", WireMock.equalTo("2"))
                .withQueryParam("PageToken", WireMock.equalTo("PACAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2")));
    }

    @Test
    void nextLinkKeepsPhoneNumberFiltersIntactWhenFollowed() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(json(Fixtures.read("calls-page.json"))));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.matching(".+"))
                .willReturn(json(Fixtures.read("calls-page-last.json"))));

        String link = rest("to=%2B14155551212&from=%2B15017122661&include_recordings=false")
                .statusCode(200).extract().header("Link");
        assertNotNull(link);
        String nextUrl = link.substring(1, link.indexOf('>'));
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .urlEncodingEnabled(false).get(nextUrl)
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA4));

        twilio.verify(2, callsRequest()
                .withQueryParam("To", WireMock.equalTo("+14155551212"))
                .withQueryParam("From", WireMock.equalTo("+15017122661")));
        List<ServeEvent> pages = served(Pattern.quote(CALLS));
        assertEquals(2, pages.size());
        String url = pages.get(1).getRequest().getUrl();
        assertTrue(url.contains("To=%2B14155551212") && url.contains("From=%2B15017122661"), url);
        assertTrue(url.contains("PageToken=PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"), url);
    }

    @Test
    void aNextPageUriWithAnUnusableTokenGivesNoNextLink() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(call(CA1, null)), 0, 1,
                "https://evil.example/x?PageToken=../../etc&Page=1"))));

        rest("include_recordings=false").statusCode(200)
                .header("Link", nullValue())
                .body("calls.call_sid", contains(CA1));
    }

    // ------------------------------------------------------------------ recording lookups: partial failures and retries

    @Test
    void aLookupThatKeepsFailingMakesAPartialResultNamingThatCall() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(Fixtures.read("calls-page.json"))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).willReturn(json(Fixtures.read("call-recordings.json"))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA2))).willReturn(twilioError(500, "error-20500.json")));
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

    /** Page {@code n} of a call's recordings: one recording, and a link to page n + 1. */
    static String endlessRecordingsPage(String callSid, int n) {
        String page = recordingsPage(callSid, String.format("RE%032x", n));
        return page.replace("\"next_page_uri\":null", "\"next_page_uri\":\"" + recordingsPath(callSid)
                + "?PageSize=1000&Page=" + (n + 1) + "&PageToken=PA" + String.format("RE%032x", n) + "\"");
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
        assertEquals(2, twilio.getAllServeEvents().size(), "the page and the one valid lookup only");
    }

    @Test
    void lookupRetriedAfter503ThenSucceedingIsNoError() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(call(CA1, null), call(CA2, null)), 0, 50, null))));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(twilioError(503, "error-20500.json")).willSetStateTo("once"));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).inScenario("flaky").whenScenarioStateIs("once")
                .willReturn(twilioError(503, "error-20500.json")).willSetStateTo("recovered"));
        twilio.stubFor(get(urlPathEqualTo(recordingsPath(CA1))).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(json(Fixtures.read("call-recordings.json"))));
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

    // ------------------------------------------------------------------ concurrency bound

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
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Recordings.json")).willReturn(twilioError(404, "error-20404.json")));

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

    // ------------------------------------------------------------------ Twilio failures on the calls page

    @Test
    void twilioAuthFailureIsUnauthorizedAndNotRetried() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(twilioError(401, "error-20003.json")));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("unauthorized: Twilio rejected the credentials"))
                .body("error", containsString("20003"))
                .body("calls", empty()));
        rest("").statusCode(401).body("error", startsWith("unauthorized: "));
        twilio.verify(2, callsRequest());
        twilio.verify(0, getRequestedFor(urlPathMatching(ANY_CALL_RECORDINGS)));
    }

    @Test
    void twilio404IsNotFoundAndNotRetried() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(twilioError(404, "error-20404.json")));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: ")));
        rest("").statusCode(404).body("error", startsWith("not_found: "));
        twilio.verify(2, callsRequest());
    }

    @Test
    void rateLimitIsRetriedThenReportedWithTheWait() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(twilioError(429, "error-20429.json")
                .withHeader("Retry-After", "1")));

        String json = rest("").statusCode(429)
                .header("Retry-After", "1")
                .body("success", equalTo(false))
                .body("error", startsWith("rate_limited: "))
                .body("error", containsString("Retry after 1 s"))
                .extract().asString();
        ContractSchemas.assertValidOutput("list_calls", json);
        // 429 is never processed by Twilio: the first attempt and 3 retries.
        twilio.verify(4, callsRequest());
        // Twilio's wait was honoured between attempts.
        List<ServeEvent> attempts = served(Pattern.quote(CALLS));
        for (int i = 1; i < attempts.size(); i++) {
            long gap = start(attempts.get(i)) - start(attempts.get(i - 1));
            assertTrue(gap >= 900, "attempt " + i + " came " + gap + " ms after the previous one");
        }
    }

    @Test
    void rateLimitOnTheToolCallIs200WithTheCategory() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(twilioError(429, "error-20429.json")
                .withHeader("Retry-After", "1")));

        validOutput(action(body(",\"include_recordings\":false"))
                .statusCode(200)
                .header("Retry-After", "1")
                .body("success", equalTo(false))
                .body("error", startsWith("rate_limited: ")));
        twilio.verify(4, callsRequest());
    }

    @Test
    void rateLimitAskingForALongerWaitThanAllowedIsNotRetried() {
        // The test profile caps the wait at 2 s (voicegate.twilio.max-retry-after).
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(twilioError(429, "error-20429.json")
                .withHeader("Retry-After", "30")));

        rest("").statusCode(429)
                .header("Retry-After", "30")
                .body("error", startsWith("rate_limited: "))
                .body("error", containsString("Retry after 30 s"));
        twilio.verify(1, callsRequest());
    }

    @Test
    void rateLimitWithoutRetryAfterIsRetriedAndReportedWithoutAWait() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(twilioError(429, "error-20429.json")));

        rest("").statusCode(429)
                .header("Retry-After", nullValue())
                .body("error", startsWith("rate_limited: "))
                .body("error", containsString("Retry in a few seconds"));
        twilio.verify(4, callsRequest());
    }

    @Test
    void serverErrorIsRetriedThenUpstreamUnavailable() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(twilioError(500, "error-20500.json")));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "))
                .body("error", containsString("20500")));
        twilio.verify(4, callsRequest());

        twilio.resetRequests();
        Breakers.resetAll();
        String json = rest("").statusCode(502)
                .body("error", startsWith("upstream_unavailable: "))
                .extract().asString();
        ContractSchemas.assertValidOutput("list_calls", json);
        twilio.verify(4, callsRequest());
        twilio.verify(0, getRequestedFor(urlPathMatching(ANY_CALL_RECORDINGS)));
    }

    @Test
    void serverErrorThenSuccessIsASuccess() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).inScenario("calls").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(twilioError(500, "error-20500.json")).willSetStateTo("ok"));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).inScenario("calls").whenScenarioStateIs("ok")
                .willReturn(json(Fixtures.read("calls-page-last.json"))));

        validOutput(action(body(",\"include_recordings\":false"))
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("calls.call_sid", contains(CA4)));
        twilio.verify(2, callsRequest());
    }

    @Test
    void slowAnswerIsATimeoutAfterEveryAttempt() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(Fixtures.read("calls-page.json")).withFixedDelay(1500)));

        long started = System.nanoTime();
        String json = rest("include_recordings=false").statusCode(504)
                .body("success", equalTo(false))
                .body("error", startsWith("timeout: "))
                .extract().asString();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        ContractSchemas.assertValidOutput("list_calls", json);
        twilio.verify(4, callsRequest());
        assertTrue(tookMs >= 4 * 1000, "4 attempts of 1000 ms each, took " + tookMs);
        assertTrue(tookMs < 4 * 1500, "each attempt is cut at the timeout, took " + tookMs);
    }

    @Test
    void malformedJsonIsUpstreamUnavailable() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json("{\"calls\": [")));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "))
                .body("error", containsString("could not be read")));
        rest("").statusCode(502).body("error", startsWith("upstream_unavailable: "));
        // An unreadable answer is not a transient failure: each request makes one attempt.
        twilio.verify(2, callsRequest());
        twilio.verify(0, getRequestedFor(urlPathMatching(ANY_CALL_RECORDINGS)));
    }

    @Test
    void connectionResetIsRetriedThenUpstreamUnavailable() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        String json = rest("").statusCode(502)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "))
                .extract().asString();
        ContractSchemas.assertValidOutput("list_calls", json);
        twilio.verify(4, callsRequest());
    }

    @Test
    void connectionResetThenSuccessIsASuccess() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(json(Fixtures.read("calls-page-last.json"))));

        validOutput(action(body(",\"include_recordings\":false"))
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("calls.call_sid", contains(CA4)));
        twilio.verify(2, callsRequest());
    }

    @Test
    void missingServiceKeyIs401WithoutCallingTwilio() {
        given().contentType(ContentType.JSON).body(body("")).post("/v1/actions/list_calls")
                .then().statusCode(401);
        given().get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(401);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
