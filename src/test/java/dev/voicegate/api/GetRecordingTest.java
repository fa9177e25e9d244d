package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.BASIC;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.Breakers;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.ServiceApi;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** get_recording end to end: recording + latest transcription, fetched together; exactly what Twilio receives. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class GetRecordingTest {

    static final String RE = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    static final String RECORDING = ACCOUNT + "/Recordings/" + RE + ".json";
    static final String TRANSCRIPTIONS = ACCOUNT + "/Recordings/" + RE + "/Transcriptions.json";
    static final String TEXT = "Hello, this is a test call from Voicegate. Goodbye.";

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    // ------------------------------------------------------------------ helpers

    static String body(String recordingSid) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"recording_sid\":\"" + recordingSid + "\"}";
    }

    static ValidatableResponse action(String json) {
        return ServiceApi.action("get_recording", json);
    }

    /** REST GET with the path sent exactly as written (no client-side encoding or normalisation). */
    static ValidatableResponse rest(String recordingSidPathSegment) {
        return ServiceApi.get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/recordings/" + recordingSidPathSegment);
    }

    static ValidatableResponse validOutput(ValidatableResponse response) {
        ContractSchemas.assertValidOutput("get_recording", response.extract().asString());
        return response;
    }

    static RequestPatternBuilder recordingRequest() {
        return getRequestedFor(urlPathEqualTo(RECORDING)).withHeader("Authorization", WireMock.equalTo(BASIC));
    }

    static RequestPatternBuilder transcriptionsRequest() {
        return getRequestedFor(urlPathEqualTo(TRANSCRIPTIONS)).withHeader("Authorization", WireMock.equalTo(BASIC))
                .withQueryParam("PageSize", WireMock.equalTo("1000"));
    }

    void stub(ResponseDefinitionBuilder recording, ResponseDefinitionBuilder transcriptions) {
        twilio.stubFor(get(urlPathEqualTo(RECORDING)).willReturn(recording));
        twilio.stubFor(get(urlPathEqualTo(TRANSCRIPTIONS)).willReturn(transcriptions));
    }

    static ValidatableResponse recordingFields(ValidatableResponse response) {
        return response
                .body("success", equalTo(true))
                .body("recording_sid", equalTo(RE))
                .body("call_sid", equalTo("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"))
                .body("duration", equalTo(6))
                .body("status", equalTo("completed"))
                .body("channels", equalTo(2))
                .body("source", equalTo("OutboundAPI"))
                .body("price", equalTo("-0.0025"))
                .body("price_unit", equalTo("USD"))
                .body("uri", equalTo(RECORDING));
    }

    static ValidatableResponse noTranscription(ValidatableResponse response) {
        return response
                .body("transcription_text", nullValue())
                .body("transcription_status", nullValue())
                .body("transcription_price", nullValue())
                .body("transcription_price_unit", nullValue());
    }

    // ------------------------------------------------------------------ success

    @Test
    void returnsTheRecordingAndItsLatestTranscription() {
        stub(fixture(200, "recording.json"), fixture(200, "transcriptions.json"));

        validOutput(recordingFields(action(body(RE)).statusCode(200))
                .body("error", nullValue())
                .body("media_url", equalTo("https://api.twilio.com" + ACCOUNT + "/Recordings/" + RE))
                // transcriptions.json is oldest first: the later, completed one wins over the failed one.
                .body("transcription_text", equalTo(TEXT))
                .body("transcription_status", equalTo("completed"))
                .body("transcription_price", equalTo("-0.05000"))
                .body("transcription_price_unit", equalTo("USD")));

        twilio.verify(1, recordingRequest());
        twilio.verify(1, transcriptionsRequest());
        assertEquals(2, twilio.getAllServeEvents().size(), "nothing else is requested");
        ServeEvent recording = served(RECORDING).get(0);
        assertEquals(RECORDING, recording.getRequest().getUrl(), "no query on the recording fetch");
        assertEquals(TRANSCRIPTIONS + "?PageSize=1000", served(TRANSCRIPTIONS).get(0).getRequest().getUrl());
    }

    @Test
    void latestTranscriptionIsChosenByDateWhateverTheOrder() {
        String transcriptions = Fixtures.read("transcriptions.json");
        // Newest first this time, and a third, older one at the end.
        String failed = block(transcriptions, "TR07070707070707070707070707070707");
        String completed = block(transcriptions, "TR08080808080808080808080808080808");
        String older = completed.replace("TR08080808080808080808080808080808", "TR09090909090909090909090909090909")
                .replace("Fri, 03 May 2024 14:05:30 +0000", "Thu, 02 May 2024 10:00:00 +0000")
                .replace(TEXT, "an old text");
        String reordered = "{\"transcriptions\":[" + completed + "," + failed + "," + older + "],\"page\":0,"
                + "\"page_size\":50,\"next_page_uri\":null}";
        stub(fixture(200, "recording.json"), json(reordered));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("transcription_text", equalTo(TEXT))
                .body("transcription_status", equalTo("completed")));
    }

    @Test
    void latestTranscriptionMayBeAFailedOneWithoutText() {
        String transcriptions = Fixtures.read("transcriptions.json")
                .replace("Fri, 03 May 2024 14:01:00 +0000", "Fri, 03 May 2024 15:00:00 +0000");
        stub(fixture(200, "recording.json"), json(transcriptions));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("transcription_text", nullValue())
                .body("transcription_status", equalTo("failed"))
                .body("transcription_price", nullValue())
                .body("transcription_price_unit", equalTo("USD")));
    }

    @Test
    void restAnswers200WithTheSameOutput() {
        stub(fixture(200, "recording.json"), fixture(200, "transcriptions.json"));

        validOutput(recordingFields(rest(RE).statusCode(200))
                .body("error", nullValue())
                .body("transcription_text", equalTo(TEXT)));
        twilio.verify(1, recordingRequest());
        twilio.verify(1, transcriptionsRequest());
    }

    @Test
    void recordingAndTranscriptionsAreFetchedConcurrently() {
        stub(fixture(200, "recording.json").withFixedDelay(400),
                fixture(200, "transcriptions.json").withFixedDelay(400));

        validOutput(recordingFields(action(body(RE)).statusCode(200))
                .body("transcription_text", equalTo(TEXT)));

        ServeEvent recording = served(RECORDING).get(0);
        ServeEvent transcriptions = served(TRANSCRIPTIONS).get(0);
        long recordingStart = start(recording);
        long transcriptionsStart = start(transcriptions);
        assertTrue(Math.abs(recordingStart - transcriptionsStart) < 200,
                "both requests start together; apart by " + Math.abs(recordingStart - transcriptionsStart) + " ms");
        assertTrue(recordingStart < end(transcriptions) && transcriptionsStart < end(recording),
                "the two requests overlap in time: recording [" + recordingStart + ", " + end(recording)
                        + "], transcriptions [" + transcriptionsStart + ", " + end(transcriptions) + "]");
    }

    // ------------------------------------------------------------------ transcription missing or failing

    @Test
    void noTranscriptionsLeaveTheTranscriptionFieldsNull() {
        stub(fixture(200, "recording.json"), fixture(200, "transcriptions-empty.json"));

        validOutput(noTranscription(recordingFields(action(body(RE)).statusCode(200)))
                .body("error", nullValue()));
        twilio.verify(1, transcriptionsRequest());
    }

    @Test
    void transcriptionsNotFoundIsTheSameAsNone() {
        stub(fixture(200, "recording.json"), fixture(404, "error-20404.json"));

        validOutput(noTranscription(recordingFields(action(body(RE)).statusCode(200)))
                .body("error", nullValue()));
        validOutput(noTranscription(recordingFields(rest(RE).statusCode(200))).body("error", nullValue()));
        // A 404 is final: no retries.
        twilio.verify(2, transcriptionsRequest());
        twilio.verify(2, recordingRequest());
    }

    @Test
    void transcriptionsServerErrorIsAPartialResult() {
        stub(fixture(200, "recording.json"), fixture(500, "error-20500.json"));

        validOutput(noTranscription(recordingFields(action(body(RE)).statusCode(200)))
                .body("error", startsWith("partial: "))
                .body("error", containsString("transcription"))
                .body("media_url", equalTo("https://api.twilio.com" + ACCOUNT + "/Recordings/" + RE)));
        // The first attempt and 3 retries; the recording itself once.
        twilio.verify(4, transcriptionsRequest());
        twilio.verify(1, recordingRequest());

        twilio.resetRequests();
        Breakers.resetAll();
        validOutput(rest(RE).statusCode(200).body("success", equalTo(true)).body("error", startsWith("partial: ")));
    }

    @Test
    void transcriptionsConnectionResetIsAPartialResult() {
        stub(fixture(200, "recording.json"), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        validOutput(noTranscription(recordingFields(action(body(RE)).statusCode(200)))
                .body("error", startsWith("partial: ")));
        twilio.verify(4, transcriptionsRequest());
    }

    // ------------------------------------------------------------------ recording failures

    @Test
    void recordingNotFoundIsNotFound() {
        stub(fixture(404, "error-20404.json"), fixture(404, "error-20404.json"));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: "))
                .body("error", containsString("20404"))
                .body("recording_sid", nullValue())
                .body("media_url", nullValue()));
        validOutput(rest(RE).statusCode(404)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: ")));
        // Not retried.
        twilio.verify(2, recordingRequest());
    }

    @Test
    void recordingNotFoundWinsOverAWorkingTranscriptionList() {
        stub(fixture(404, "error-20404.json"), fixture(200, "transcriptions.json"));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: "))
                .body("transcription_text", nullValue()));
    }

    @Test
    void recordingServerErrorIsRetriedThenUpstreamUnavailable() {
        stub(fixture(500, "error-20500.json"), fixture(200, "transcriptions.json"));

        validOutput(rest(RE).statusCode(502)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: ")));
        twilio.verify(4, recordingRequest());
    }

    @Test
    void recordingTimeoutIs504() {
        stub(fixture(200, "recording.json").withFixedDelay(WireMockTwilio.SLOWER_THAN_TIMEOUT_MS), fixture(200, "transcriptions.json"));

        validOutput(rest(RE).statusCode(504)
                .body("success", equalTo(false))
                .body("error", startsWith("timeout: ")));
        twilio.verify(4, recordingRequest());
    }

    @Test
    void recordingAuthFailureIsUnauthorized() {
        stub(fixture(401, "error-20003.json"), fixture(401, "error-20003.json"));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("unauthorized: ")));
        rest(RE).statusCode(401).body("error", startsWith("unauthorized: "));
        twilio.verify(2, recordingRequest());
    }

    @Test
    void recordingRateLimitIs429WithRetryAfter() {
        stub(fixture(429, "error-20429.json").withHeader("Retry-After", "1"), fixture(200, "transcriptions.json"));

        validOutput(rest(RE).statusCode(429)
                .header("Retry-After", "1")
                .body("error", startsWith("rate_limited: ")));
        twilio.verify(4, recordingRequest());
    }

    @Test
    void unreadableRecordingIsUpstreamUnavailable() {
        stub(json("{\"sid\": "), fixture(200, "transcriptions.json"));

        validOutput(rest(RE).statusCode(502)
                .body("error", startsWith("upstream_unavailable: ")));
    }

    // ------------------------------------------------------------------ wire values

    @Test
    void mediaUrlIsBuiltWhenTwilioGivesNone() {
        String withoutMediaUrl = Fixtures.read("recording.json")
                .replaceAll(",\\s*\"media_url\": \"[^\"]*\"", "");
        assertTrue(!withoutMediaUrl.contains("media_url"), withoutMediaUrl);
        stub(json(withoutMediaUrl), fixture(200, "transcriptions-empty.json"));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(true))
                .body("media_url", equalTo(WireMockTwilio.baseUrl(twilio) + ACCOUNT + "/Recordings/" + RE)));
    }

    @ParameterizedTest(name = "media_url {0}")
    @ValueSource(strings = { "null", "\"\"", "\"/2010-04-01/Accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/Recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5\"" })
    void mediaUrlIsAlwaysAbsolute(String given) {
        String recording = Fixtures.read("recording.json")
                .replaceAll("\"media_url\": \"[^\"]*\"", "\"media_url\": " + java.util.regex.Matcher.quoteReplacement(given));
        stub(json(recording), fixture(200, "transcriptions-empty.json"));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(true))
                .body("media_url", equalTo(WireMockTwilio.baseUrl(twilio) + ACCOUNT + "/Recordings/" + RE)));
    }

    @Test
    void pricesGivenAsJsonNumbersComeOutAsStrings() {
        String recording = Fixtures.read("recording.json").replace("\"price\": \"-0.0025\"", "\"price\": -0.0025");
        assertTrue(recording.contains("\"price\": -0.0025"), recording);
        String transcriptions = Fixtures.read("transcriptions.json").replace("\"price\": \"-0.05000\"", "\"price\": -0.05");
        assertTrue(transcriptions.contains("\"price\": -0.05,"), transcriptions);
        stub(json(recording), json(transcriptions));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(true))
                .body("price", equalTo("-0.0025"))
                .body("transcription_price", equalTo("-0.05")));
    }

    @Test
    void missingOptionalFieldsAreNull() {
        String recording = "{\"sid\":\"" + RE + "\",\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\","
                + "\"status\":\"in-progress\",\"duration\":\"-1\",\"channels\":null,\"price\":null,\"call_sid\":null}";
        stub(json(recording), fixture(200, "transcriptions-empty.json"));

        validOutput(action(body(RE)).statusCode(200)
                .body("success", equalTo(true))
                .body("recording_sid", equalTo(RE))
                .body("status", equalTo("in-progress"))
                .body("duration", equalTo(-1))
                .body("channels", nullValue())
                .body("price", nullValue())
                .body("call_sid", nullValue())
                .body("media_url", equalTo(WireMockTwilio.baseUrl(twilio) + ACCOUNT + "/Recordings/" + RE)));
    }

    // ------------------------------------------------------------------ validation

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("too short", body("RE123"), "'recording_sid' must be a Recording SID"),
                Arguments.of("path traversal", body("../"), "'recording_sid' must be a Recording SID"),
                Arguments.of("traversal after a valid SID", body(RE + "/../../Calls"), "'recording_sid' must be a Recording SID"),
                Arguments.of("encoded slash", body(RE + "%2F..%2FCalls"), "'recording_sid' must be a Recording SID"),
                Arguments.of("call SID", body("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"), "'recording_sid' must be a Recording SID"),
                Arguments.of("lower-case prefix", body(RE.toLowerCase()), "'recording_sid' must be a Recording SID"),
                Arguments.of("too long", body(RE + "0"), "'recording_sid' must be a Recording SID"),
                Arguments.of("query smuggling", body(RE + ".json?x=1"), "'recording_sid' must be a Recording SID"),
                Arguments.of("trailing newline", body(RE + "\\n"), "'recording_sid' must not contain control characters"),
                Arguments.of("number", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"recording_sid\":123}", "'recording_sid' must be a string"),
                Arguments.of("missing", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"}", "'recording_sid' is required"),
                Arguments.of("null", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"recording_sid\":null}", "'recording_sid' is required"),
                Arguments.of("unknown parameter", body(RE).replace("}", ",\"include_media\":true}"), "unknown parameter 'include_media'"),
                Arguments.of("account sid malformed", body(RE).replace(TestAccounts.ACCOUNT_SID, "AC123"), "'account_sid' must be an Account SID"),
                Arguments.of("not json", "{\"recording_sid\": ", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInputWithoutCallingTwilio(String name, String json, String expected) {
        validOutput(action(json)
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected)));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "RE123", "CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", RE + "0", "re" + "e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5" })
    void restRejectsAMalformedSidWith400WithoutCallingTwilio(String sid) {
        stub(fixture(200, "recording.json"), fixture(200, "transcriptions.json"));

        validOutput(rest(sid).statusCode(400)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString("'recording_sid'")));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "..%2F..%2FCalls.json", RE + "%2F..%2F..%2FCalls", RE + "%2F", "%2E%2E", RE + "%3Fx=1",
            RE + ".json", "..", RE + "/Transcriptions", RE + "%00" })
    void restPathTricksNeverReachTwilio(String segment) {
        stub(fixture(200, "recording.json"), fixture(200, "transcriptions.json"));
        twilio.stubFor(get(WireMock.anyUrl()).atPriority(10).willReturn(fixture(200, "recording.json")));

        rest(segment)
                .statusCode(anyOf(equalTo(400), equalTo(404)))
                .body("success", equalTo(false))
                .body("error", anyOf(startsWith("invalid_request: "), startsWith("not_found: ")))
                .body("error", not(containsString("Twilio error")));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void missingServiceKeyIs401WithoutCallingTwilio() {
        given().contentType(ContentType.JSON).body(body(RE)).post("/v1/actions/get_recording")
                .then().statusCode(401);
        given().get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/recordings/" + RE).then().statusCode(401);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    // ------------------------------------------------------------------ serve-event helpers

    List<ServeEvent> served(String path) {
        return twilio.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().split("\\?", 2)[0].equals(path))
                .toList();
    }

    static long start(ServeEvent event) {
        return event.getRequest().getLoggedDate().getTime();
    }

    static long end(ServeEvent event) {
        return start(event) + event.getTiming().getTotalTime();
    }

    /** The JSON object of one transcription in the fixture, from its opening brace to its closing one. */
    static String block(String fixture, String sid) {
        int at = fixture.indexOf("\"sid\": \"" + sid + "\"");
        int open = fixture.lastIndexOf('{', at);
        int close = fixture.indexOf('}', at);
        return fixture.substring(open, close + 1);
    }
}
