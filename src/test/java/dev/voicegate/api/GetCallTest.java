package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.BASIC;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.ServiceApi;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * get_call end to end against WireMock: the mapping of every field, exactly what Twilio receives, and the wait:
 * polls with back-off until the call is final or the wait is over, the recording lookup once after the last fetch
 * (without a wait, beside the one fetch), and no further poll once the caller has gone. Polls here pause 100 ms, doubling up to 400 ms (WireMockTwilio).
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class GetCallTest {

    static final String CA = "CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    static final String CALL = ACCOUNT + "/Calls/" + CA + ".json";
    static final String RECORDINGS = ACCOUNT + "/Calls/" + CA + "/Recordings.json";
    static final String KEY = TestAccounts.bearer(TestAccounts.SERVICE_KEY);
    static final String WAITING_SCENARIO = "call goes on";

    @InjectWireMock
    WireMockServer twilio;

    /** Whether the service has fetched a call once: see {@link #reset()}. */
    static boolean warm;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        if (!warm) {
            // The first Twilio request of a fresh JVM can outlast the 1 s test timeout and be retried, which would
            // consume a step of the WireMock scenarios below; one get_call first keeps them exact.
            twilio.stubFor(get(urlPathEqualTo(CALL)).willReturn(json(call("completed"))));
            action(body(",\"include_recordings\":false")).statusCode(200);
            twilio.resetAll();
            warm = true;
        }
    }

    // ------------------------------------------------------------------ helpers

    static String body(String extra) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"call_sid\":\"" + CA + "\"" + extra + "}";
    }

    static ValidatableResponse action(String json) {
        return ServiceApi.action("get_call", json);
    }

    /** REST GET with the path and query sent exactly as written. */
    static ValidatableResponse rest(String callSidSegment, String query) {
        return ServiceApi.get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + callSidSegment
                + (query.isEmpty() ? "" : "?" + query));
    }

    static ValidatableResponse validOutput(ValidatableResponse response) {
        ContractSchemas.assertValidOutput("get_call", response.extract().asString());
        return response;
    }

    /** call.json as Twilio shows the call in {@code status}: not answered or not ended yet, nothing billed. */
    static String call(String status) {
        String completed = Fixtures.read("call.json");
        if (status.equals("completed")) {
            return completed;
        }
        return completed.replace("\"status\": \"completed\"", "\"status\": \"" + status + "\"")
                .replace("\"duration\": \"15\"", "\"duration\": null")
                .replace("\"price\": \"-0.03000\"", "\"price\": null")
                .replace("\"answered_by\": \"machine_start\"", "\"answered_by\": null")
                .replaceAll("\"end_time\": \"[^\"]*\"", "\"end_time\": null");
    }

    /** A fetch of the call: the exact path, no query, the account's credentials. */
    static RequestPatternBuilder fetch() {
        return getRequestedFor(urlEqualTo(CALL)).withHeader("Authorization", WireMock.equalTo(BASIC));
    }

    static RequestPatternBuilder lookup() {
        return getRequestedFor(urlPathEqualTo(RECORDINGS)).withHeader("Authorization", WireMock.equalTo(BASIC))
                .withQueryParam("PageSize", WireMock.equalTo("1000"));
    }

    void stub(ResponseDefinitionBuilder call, ResponseDefinitionBuilder recordings) {
        twilio.stubFor(get(urlPathEqualTo(CALL)).willReturn(call));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(recordings));
    }

    /** The call answers {@code statuses} one after another, then the last one for ever. */
    void stubStatuses(String... statuses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < statuses.length; i++) {
            String next = i + 1 < statuses.length ? "fetch " + (i + 1) : state;
            twilio.stubFor(get(urlPathEqualTo(CALL)).inScenario(WAITING_SCENARIO).whenScenarioStateIs(state)
                    .willReturn(json(call(statuses[i]))).willSetStateTo(next));
            state = next;
        }
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(fixture(200, "call-recordings.json")));
    }

    List<LoggedRequest> fetches() {
        return twilio.findAll(fetch()).stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    static long at(LoggedRequest request) {
        return request.getLoggedDate().getTime();
    }

    // ------------------------------------------------------------------ one fetch

    @Test
    void everyFieldOfTheCallIsMapped() throws IOException {
        stub(json(call("completed")), fixture(200, "call-recordings.json"));

        String body = validOutput(action(body("")).statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("call_sid", equalTo(CA))
                .body("parent_call_sid", equalTo("CAdeadbeefdeadbeefdeadbeefdeadbeef"))
                .body("from_", equalTo("+15017122661"))
                .body("to", equalTo("+14155551212"))
                .body("status", equalTo("completed"))
                .body("final", equalTo(true))
                .body("direction", equalTo("outbound-dial"))
                .body("answered_by", equalTo("machine_start"))
                .body("duration", equalTo(15))
                .body("price", equalTo("-0.03000"))
                .body("price_unit", equalTo("USD"))
                .body("start_time", equalTo("2024-05-03T14:00:02Z"))
                .body("end_time", equalTo("2024-05-03T14:00:17Z"))
                .body("date_created", equalTo("2024-05-03T14:00:00Z"))
                .body("recording_sids", contains("REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5", "REf6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6")))
                .extract().asString();

        // Every property of the contract's output is there: nothing is left unmapped.
        JsonNode schema = new ObjectMapper().readTree(ContractSchemas.schemaText("get_call.output"));
        Set<String> expected = new java.util.HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(expected::add);
        Set<String> actual = new java.util.HashSet<>();
        new ObjectMapper().readTree(body).fieldNames().forEachRemaining(actual::add);
        assertEquals(expected, actual);

        twilio.verify(1, fetch());
        twilio.verify(1, lookup());
        assertEquals(2, twilio.getAllServeEvents().size(), "nothing else is requested");
    }

    @Test
    void withoutAWaitTheCallAndItsRecordingsAreFetchedTogether() {
        stub(json(call("completed")).withFixedDelay(400), fixture(200, "call-recordings.json").withFixedDelay(400));

        validOutput(action(body("")).statusCode(200).body("success", equalTo(true)).body("final", equalTo(true)));

        long fetchStart = at(fetches().get(0));
        long lookupStart = at(twilio.findAll(lookup()).get(0));
        assertTrue(Math.abs(fetchStart - lookupStart) < 200, "both start together; apart by "
                + Math.abs(fetchStart - lookupStart) + " ms");
    }

    @Test
    void restAnswers200WithTheSameOutputAsTheToolCall() {
        stub(json(call("completed")), fixture(200, "call-recordings.json"));

        String tool = action(body("")).statusCode(200).extract().asString();
        String rest = validOutput(rest(CA, "").statusCode(200)).extract().asString();
        assertEquals(tool, rest);
        twilio.verify(2, fetch());
        twilio.verify(2, lookup());
    }

    @ParameterizedTest(name = "{0} -> final {1}")
    @CsvSource({ "completed, true", "busy, true", "failed, true", "no-answer, true", "canceled, true",
            "queued, false", "ringing, false", "in-progress, false", "some-future-status, false" })
    void finalIsTrueOnlyForTheFinalStatuses(String status, boolean isFinal) {
        stub(json(call(status)), fixture(200, "call-recordings-empty.json"));

        validOutput(action(body("")).statusCode(200)
                .body("success", equalTo(true))
                .body("status", equalTo(status))
                .body("final", equalTo(isFinal))
                .body("recording_sids", org.hamcrest.Matchers.empty()));
        twilio.verify(1, fetch());
    }

    @Test
    void aCallStillGoingHasNullsWhereTwilioHasNoValueYet() {
        stub(json(call("in-progress")), fixture(200, "call-recordings-empty.json"));

        validOutput(action(body("")).statusCode(200)
                .body("success", equalTo(true))
                .body("final", equalTo(false))
                .body("duration", nullValue())
                .body("price", nullValue())
                .body("end_time", nullValue())
                .body("answered_by", nullValue())
                .body("start_time", equalTo("2024-05-03T14:00:02Z")));
    }

    @Test
    void unknownCallIsNotFoundAndNotRetried() {
        stub(fixture(404, "error-20404.json"), fixture(200, "call-recordings.json"));

        validOutput(action(body(",\"wait_seconds\":30")).statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: "))
                .body("error", containsString("20404"))
                .body("call_sid", nullValue()));
        validOutput(rest(CA, "").statusCode(404)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: ")));
        twilio.verify(2, fetch());
        // With a wait the lookup comes only after a fetch that worked; without one it runs beside the fetch (and
        // is cancelled when the 404 comes first).
        assertTrue(twilio.findAll(lookup()).size() <= 1, twilio.findAll(lookup()).size() + " lookups");
    }

    @Test
    void includeRecordingsFalseMakesNoLookup() {
        stub(json(call("completed")), fixture(200, "call-recordings.json"));

        String tool = validOutput(action(body(",\"include_recordings\":false")).statusCode(200)
                .body("success", equalTo(true))
                .body("status", equalTo("completed"))).extract().asString();
        String rest = validOutput(rest(CA, "include_recordings=false").statusCode(200)).extract().asString();

        assertFalse(tool.contains("\"recording_sids\""), "left out, not empty: " + tool);
        assertEquals(tool, rest);
        twilio.verify(2, fetch());
        twilio.verify(0, lookup());
    }

    @Test
    void aFailedRecordingLookupIsAPartialResultWithoutRecordingSids() {
        stub(json(call("completed")), fixture(500, "error-20500.json"));

        String body = validOutput(rest(CA, "").statusCode(200)
                .body("success", equalTo(true))
                .body("error", startsWith("partial: "))
                .body("error", containsString("recordings could not be looked up"))
                .body("status", equalTo("completed"))).extract().asString();
        assertFalse(body.contains("\"recording_sids\""), body);
        twilio.verify(1, fetch());
        twilio.verify(4, lookup());
    }

    @Test
    void serverErrorsAreRetriedThenUpstreamUnavailable() {
        stub(fixture(500, "error-20500.json"), fixture(200, "call-recordings.json"));

        validOutput(rest(CA, "wait_seconds=5").statusCode(502).body("error", startsWith("upstream_unavailable: ")));
        twilio.verify(4, fetch());
        twilio.verify(0, lookup());
    }

    // ------------------------------------------------------------------ waiting

    @Test
    void aWaitingGetCallFollowsTheCallAndAnswersRightAfterTheFinalFetch() {
        stubStatuses("queued", "ringing", "completed");

        long started = System.currentTimeMillis();
        validOutput(action(body(",\"wait_seconds\":30")).statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("status", equalTo("completed"))
                .body("final", equalTo(true))
                .body("recording_sids", contains("REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5", "REf6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6")));
        long answered = System.currentTimeMillis();

        List<LoggedRequest> fetches = fetches();
        assertEquals(3, fetches.size(), "queued, ringing, completed: then no more polls");
        long firstPause = at(fetches.get(1)) - at(fetches.get(0));
        long secondPause = at(fetches.get(2)) - at(fetches.get(1));
        assertTrue(firstPause >= 100, "the first pause is first-poll (100 ms): " + firstPause);
        assertTrue(secondPause >= 200, "then it doubles (200 ms): " + secondPause);
        List<LoggedRequest> lookups = twilio.findAll(lookup());
        assertEquals(1, lookups.size(), "one recording lookup");
        assertTrue(at(lookups.get(0)) >= at(fetches.get(2)), "after the last fetch");
        assertTrue(answered - started < 10_000, "answered when the call ended, not when the 30 s ran out: "
                + (answered - started) + " ms");
        assertTrue(answered - at(fetches.get(2)) < 2_000, "right after the final fetch");
    }

    @Test
    void aFinalCallIsAnsweredAfterOneFetchWhateverTheWait() {
        stubStatuses("busy");

        validOutput(rest(CA, "wait_seconds=60").statusCode(200).body("status", equalTo("busy")).body("final", equalTo(true)));
        twilio.verify(1, fetch());
        twilio.verify(1, lookup());
    }

    @Test
    void aWaitThatRunsOutAnswersWithTheCurrentStatusNotFinal() {
        stubStatuses("ringing");

        long started = System.currentTimeMillis();
        validOutput(rest(CA, "wait_seconds=1").statusCode(200)
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("status", equalTo("ringing"))
                .body("final", equalTo(false)));
        long elapsed = System.currentTimeMillis() - started;

        assertTrue(elapsed >= 1_000, "waited the whole second: " + elapsed + " ms");
        List<LoggedRequest> fetches = fetches();
        // At 0, 100, 300 and 700 ms, and the last one when the second is over (fewer when fetches are slow).
        assertTrue(fetches.size() >= 3 && fetches.size() <= 5, fetches.size() + " fetches");
        // Measured from the request, not from the first fetch: on a busy machine the first fetch may go out late.
        // The service's second starts when the request reaches it, after started; its pauses are whole milliseconds,
        // and so are WireMock's times, hence a few ms of slack (the fetch before the last is at 700 ms).
        long last = at(fetches.get(fetches.size() - 1));
        assertTrue(last >= started + 990, "the last fetch is at the end of the wait: " + (last - started) + " ms");
        List<LoggedRequest> lookups = twilio.findAll(lookup());
        assertEquals(1, lookups.size());
        assertTrue(at(lookups.get(0)) >= at(fetches.get(fetches.size() - 1)), "the lookup runs after the last fetch");
    }

    @Test
    void aFetchThatFailsDuringTheWaitEndsItWithTheLastStatusFetched() {
        twilio.stubFor(get(urlPathEqualTo(CALL)).inScenario(WAITING_SCENARIO).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(call("ringing"))).willSetStateTo("failing"));
        twilio.stubFor(get(urlPathEqualTo(CALL)).inScenario(WAITING_SCENARIO).whenScenarioStateIs("failing")
                .willReturn(fixture(500, "error-20500.json")));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS)).willReturn(fixture(200, "call-recordings-empty.json")));

        validOutput(rest(CA, "wait_seconds=30").statusCode(200)
                .body("success", equalTo(true))
                .body("status", equalTo("ringing"))
                .body("final", equalTo(false))
                .body("error", startsWith("partial: the wait ended early"))
                .body("error", containsString("upstream_unavailable")));
        twilio.verify(1 + 4, fetch());
        twilio.verify(1, lookup());
    }

    /** The caller closes its connection while get_call waits: polling stops, no lookup follows. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "REST", "tool call" })
    void aCallerThatDisconnectsStopsThePolls(String surface) throws Exception {
        stubStatuses("ringing");

        try (Socket socket = new Socket(URI.create(RestAssured.baseURI).getHost(), RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(waitingRequest(surface.equals("REST")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> fetches().size() >= 2);
        }
        int atClose = fetches().size();
        // Polls are at most 400 ms apart: a follow that went on would fetch 3 more times in 1.5 s.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> fetches().size() <= atClose + 1);
        twilio.verify(0, lookup());
    }

    static String waitingRequest(boolean rest) {
        if (rest) {
            return "GET /v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + CA + "?wait_seconds=30 HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: " + KEY + "\r\n\r\n";
        }
        String json = body(",\"wait_seconds\":30");
        return "POST /v1/actions/get_call HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json;
    }

    // ------------------------------------------------------------------ validation

    static Stream<Arguments> badInputs() {
        String account = "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"";
        List<Arguments> cases = new ArrayList<>();
        for (String sid : List.of("CA123", "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5", CA.toLowerCase(), CA + "0", "../",
                CA + "/../Recordings", CA + ".json", CA + "?PageSize=1", CA.substring(0, 33) + "g")) {
            cases.add(Arguments.of("call_sid " + sid, account + ",\"call_sid\":\"" + sid + "\"}", "'call_sid' must be a Call SID"));
        }
        cases.add(Arguments.of("call_sid with a newline", account + ",\"call_sid\":\"" + CA + "\\n\"}", "'call_sid' must not contain control characters"));
        cases.add(Arguments.of("call_sid a number", account + ",\"call_sid\":123}", "'call_sid' must be a string"));
        cases.add(Arguments.of("call_sid missing", account + "}", "'call_sid' is required"));
        cases.add(Arguments.of("call_sid null", account + ",\"call_sid\":null}", "'call_sid' is required"));
        for (String wait : List.of("-1", "61", "3600", "2147483648")) {
            cases.add(Arguments.of("wait_seconds " + wait, body(",\"wait_seconds\":" + wait), "'wait_seconds'"));
        }
        for (String wait : List.of("\"5\"", "5.5", "5.0", "true", "[5]")) {
            cases.add(Arguments.of("wait_seconds " + wait, body(",\"wait_seconds\":" + wait), "'wait_seconds' must be an integer"));
        }
        for (String include : List.of("\"false\"", "0", "\"yes\"")) {
            cases.add(Arguments.of("include_recordings " + include, body(",\"include_recordings\":" + include),
                    "'include_recordings' must be true or false"));
        }
        cases.add(Arguments.of("unknown parameter", body(",\"wait\":5"), "unknown parameter 'wait'"));
        cases.add(Arguments.of("camel case", body(",\"waitSeconds\":5"), "unknown parameter 'waitSeconds'"));
        cases.add(Arguments.of("account_sid malformed", body("").replace(TestAccounts.ACCOUNT_SID, "AC123"), "'account_sid' must be an Account SID"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badToolCallInputIsRejectedWithNothingSent(String name, String json, String expected) {
        stubStatuses("completed");

        validOutput(action(json).statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected)));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> badRestInputs() {
        return Stream.of(
                Arguments.of("CA123", "", "'call_sid' must be a Call SID"),
                Arguments.of("REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5", "", "'call_sid' must be a Call SID"),
                Arguments.of("caa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "", "'call_sid' must be a Call SID"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a10", "", "'call_sid' must be a Call SID"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1.json", "", "'call_sid' must be a Call SID"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1%0A", "", "'call_sid' must not contain control characters"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=61", "'wait_seconds' must be an integer from 0 to 60"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=-1", "'wait_seconds' must be an integer from 0 to 60"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=5.0", "'wait_seconds' must be an integer from 0 to 60"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=", "'wait_seconds' must be an integer from 0 to 60"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=%205", "'wait_seconds' must be an integer from 0 to 60"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=ten", "'wait_seconds' must be an integer from 0 to 60"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=100000", "'wait_seconds' must be an integer from 0 to 60"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "wait_seconds=1&wait_seconds=2", "'wait_seconds' must be given once"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "include_recordings=yes", "'include_recordings' must be true or false"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "include_recordings=TRUE", "'include_recordings' must be true or false"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "waitSeconds=5", "unknown query parameter 'waitSeconds'"),
                Arguments.of("CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "call_sid=CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "unknown query parameter 'call_sid'"));
    }

    @ParameterizedTest(name = "{0}?{1}")
    @MethodSource("badRestInputs")
    void badRestInputIs400WithNothingSent(String callSid, String query, String expected) {
        stubStatuses("completed");

        validOutput(rest(callSid, query).statusCode(400)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected)));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theCallListAndACallAreRoutedApart() {
        stubStatuses("completed");
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(200, "calls-page-last.json")));

        given().header("Authorization", KEY).get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?include_recordings=false")
                .then().statusCode(200).body("calls[0].call_sid", equalTo("CAd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4"));
        rest(CA, "include_recordings=false").statusCode(200).body("call_sid", equalTo(CA));
        given().header("Authorization", KEY).get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + CA + "/recordings")
                .then().statusCode(404).body("error", startsWith("not_found: "));
        given().header("Authorization", KEY).contentType(ContentType.JSON).body("{}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + CA)
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(404), equalTo(405))).body("success", equalTo(false));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(ACCOUNT + "/Calls.json")));
        twilio.verify(1, fetch());
    }

    @Test
    void missingServiceKeyIs401WithNothingSent() {
        stubStatuses("completed");
        given().contentType(ContentType.JSON).body(body("")).post("/v1/actions/get_call").then().statusCode(401);
        given().get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + CA).then().statusCode(401);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
