package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.limit.AccountLimiter;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * SIGTERM while get_calls wait: {@code quarkus.shutdown.timeout} (30 s) is shorter than a wait (up to 60 s), so a
 * waiting get_call answers at once with what it has. The event SIGTERM fires is fired here; the application instance
 * is this class's own (its profile), because it refuses every request once draining.
 */
@QuarkusTest
@TestProfile(GetCallShutdownTest.OwnInstance.class)
@WithTestResource(value = WireMockTwilio.class, initArgs = {
        @ResourceArg(name = "voicegate.get-call.first-poll", value = "30s"),
        @ResourceArg(name = "voicegate.get-call.max-poll", value = "30s") })
class GetCallShutdownTest {

    /** Its get_call is in a 30 s pause between two fetches when SIGTERM comes. */
    static final String PAUSED = "CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    /** Its get_call has a fetch in flight when SIGTERM comes. */
    static final String FETCHING = "CAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    static final String WARM_UP = "CAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
    /** Below the 1 s per-attempt timeout of the tests. */
    static final int FETCH_DELAY_MS = 700;

    /** No settings of its own: it only keeps the draining instance away from the other suites. */
    public static class OwnInstance implements QuarkusTestProfile {
    }

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdown;

    @Inject
    AccountLimiter limiter;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void waitingGetCallsAnswerAtOnceWithWhatTheyHave() throws Exception {
        String ringing = Fixtures.read("call.json").replace("\"status\": \"completed\"", "\"status\": \"ringing\"");
        twilio.stubFor(get(urlEqualTo(callPath(PAUSED))).willReturn(json(ringing)));
        twilio.stubFor(get(urlEqualTo(callPath(FETCHING))).willReturn(json(ringing.replace(PAUSED, FETCHING))
                .withFixedDelay(FETCH_DELAY_MS)));
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json"))
                .willReturn(fixture(200, "call-recordings-empty.json")));

        // A first get_call warms the service up, so that no fetch below outlasts the 1 s test timeout and is retried.
        twilio.stubFor(get(urlEqualTo(callPath(WARM_UP))).willReturn(fixture(200, "call.json")));
        assertEquals(200, getCall(WARM_UP).get(20, TimeUnit.SECONDS).statusCode());
        twilio.resetRequests();

        CompletableFuture<HttpResponse<String>> paused = getCall(PAUSED);
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches(PAUSED) == 1 && limiter.inFlight(TestAccounts.ACCOUNT_SID) == 0);
        CompletableFuture<HttpResponse<String>> fetching = getCall(FETCHING);
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.inFlight(TestAccounts.ACCOUNT_SID) == 1);

        long sigterm = System.nanoTime();
        shutdown.fire(new ShutdownDelayInitiatedEvent());

        HttpResponse<String> pausedAnswer = paused.get(10, TimeUnit.SECONDS);
        long pausedMillis = (System.nanoTime() - sigterm) / 1_000_000;
        HttpResponse<String> fetchingAnswer = fetching.get(10, TimeUnit.SECONDS);
        long fetchingMillis = (System.nanoTime() - sigterm) / 1_000_000;

        for (HttpResponse<String> answer : java.util.List.of(pausedAnswer, fetchingAnswer)) {
            assertEquals(200, answer.statusCode(), answer.body());
            ContractSchemas.assertValidOutput("get_call", answer.body());
            assertTrue(answer.body().contains("\"success\":true,\"error\":null"), answer.body());
            assertTrue(answer.body().contains("\"status\":\"ringing\",\"final\":false"), answer.body());
        }
        // The pause would have lasted 30 s and the wait 60 s.
        System.out.printf("SIGTERM: the paused get_call answered after %d ms, the fetching one after %d ms%n",
                pausedMillis, fetchingMillis);
        assertTrue(pausedMillis < 2_000, "the paused get_call answered " + pausedMillis + " ms after SIGTERM");
        assertTrue(fetchingMillis < FETCH_DELAY_MS + 2_000, "the fetching one answered " + fetchingMillis
                + " ms after SIGTERM, i.e. once its fetch was back");
        assertEquals(1, fetches(PAUSED), "no fetch after SIGTERM");
        assertEquals(1, fetches(FETCHING), "no fetch after the one in flight");
        twilio.verify(1, getRequestedFor(urlPathMatching(ACCOUNT + "/Calls/" + PAUSED + "/Recordings\\.json")));
        twilio.verify(1, getRequestedFor(urlPathMatching(ACCOUNT + "/Calls/" + FETCHING + "/Recordings\\.json")));

        // And new requests are refused, as before.
        HttpResponse<String> late = getCall(PAUSED).get(10, TimeUnit.SECONDS);
        assertEquals(503, late.statusCode(), late.body());
        assertEquals(ShutdownGate.REFUSAL, late.body());
    }

    CompletableFuture<HttpResponse<String>> getCall(String callSid) {
        String body = "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"call_sid\":\"" + callSid
                + "\",\"wait_seconds\":60}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/v1/actions/get_call"))
                .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    int fetches(String callSid) {
        return twilio.findAll(getRequestedFor(urlEqualTo(callPath(callSid)))).size();
    }

    static String callPath(String callSid) {
        return ACCOUNT + "/Calls/" + callSid + ".json";
    }
}
