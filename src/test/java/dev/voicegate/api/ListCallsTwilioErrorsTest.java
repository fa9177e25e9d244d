package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.Breakers;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.junit.QuarkusTest;
/** list_calls: what each failure of Twilio's calls page becomes, and how often it is retried. */
@QuarkusTest
class ListCallsTwilioErrorsTest extends ListCallsSuite {

    @Test
    void twilioAuthFailureIsUnauthorizedAndNotRetried() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(401, "error-20003.json")));

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
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(404, "error-20404.json")));

        validOutput(action(body(""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: ")));
        rest("").statusCode(404).body("error", startsWith("not_found: "));
        twilio.verify(2, callsRequest());
    }

    @Test
    void rateLimitIsRetriedThenReportedWithTheWait() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(429, "error-20429.json")
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
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(429, "error-20429.json")
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
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(429, "error-20429.json")
                .withHeader("Retry-After", "30")));

        rest("").statusCode(429)
                .header("Retry-After", "30")
                .body("error", startsWith("rate_limited: "))
                .body("error", containsString("Retry after 30 s"));
        twilio.verify(1, callsRequest());
    }

    @Test
    void rateLimitWithoutRetryAfterIsRetriedAndReportedWithoutAWait() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(429, "error-20429.json")));

        rest("").statusCode(429)
                .header("Retry-After", nullValue())
                .body("error", startsWith("rate_limited: "))
                .body("error", containsString("Retry in a few seconds"));
        twilio.verify(4, callsRequest());
    }

    @Test
    void serverErrorIsRetriedThenUpstreamUnavailable() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(500, "error-20500.json")));

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
        inTurn(twilio, () -> get(urlPathEqualTo(CALLS)),
                fixture(500, "error-20500.json"), fixture(200, "calls-page-last.json"));

        validOutput(action(body(",\"include_recordings\":false"))
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("calls.call_sid", contains(CA4)));
        twilio.verify(2, callsRequest());
    }

    @Test
    void slowAnswerIsATimeoutAfterEveryAttempt() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page.json").withFixedDelay(WireMockTwilio.SLOWER_THAN_TIMEOUT_MS)));

        long started = System.nanoTime();
        String json = rest("include_recordings=false").statusCode(504)
                .body("success", equalTo(false))
                .body("error", startsWith("timeout: "))
                .extract().asString();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        ContractSchemas.assertValidOutput("list_calls", json);
        twilio.verify(4, callsRequest());
        long timeout = Long.parseLong(WireMockTwilio.TEST_TIMEOUT_MS);
        assertTrue(tookMs >= 4 * timeout, "4 attempts of " + timeout + " ms each, took " + tookMs);
        // Uncut attempts would take 4 slow answers; the margin between the two keeps this true on a busy machine.
        assertTrue(tookMs < 4 * WireMockTwilio.SLOWER_THAN_TIMEOUT_MS, "each attempt is cut at the timeout, took " + tookMs);
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
        inTurn(twilio, () -> get(urlPathEqualTo(CALLS)),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), fixture(200, "calls-page-last.json"));

        validOutput(action(body(",\"include_recordings\":false"))
                .body("success", equalTo(true))
                .body("error", nullValue())
                .body("calls.call_sid", contains(CA4)));
        twilio.verify(2, callsRequest());
    }
}
