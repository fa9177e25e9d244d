package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * list_calls with recordings at twice what the account's slots can serve, arriving at a fixed rate whatever the
 * answers (open loop), against a Twilio that answers every request after {@value #LATENCY_MS} ms. What is admitted
 * is finished in full (never {@code partial} because of Voicegate's own limit), and what is refused is refused at
 * the door: rate_limited with {@code Retry-After}, and nothing of it reached Twilio.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@TestProfile(OverloadTest.FourSlots.class)
class OverloadTest {

    static final int SLOTS = 4;
    static final int LATENCY_MS = 50;
    static final int CALLS_PER_PAGE = 4;
    /** A list_calls holds a slot for its page, then for each call's lookup: 5 requests of 50 ms. */
    static final double CAPACITY_PER_SECOND = SLOTS * 1000.0 / ((1 + CALLS_PER_PAGE) * LATENCY_MS);
    static final int REQUESTS = 96;

    /**
     * 4 slots. The per-attempt timeout is longer than the tests' usual 1 s: on a loaded machine a pause of the JVM or
     * of WireMock must not turn into a timeout that would look like a partial answer; the door keeps waits short.
     * The wait for a slot stays below it, as TwilioClient recommends.
     */
    public static class FourSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicegate.upstream.max-concurrent-per-account", String.valueOf(SLOTS),
                    "voicegate.upstream.max-queue-wait", "2s",
                    "voicegate.twilio.timeout-ms", "5000");
        }
    }

    @InjectWireMock
    WireMockServer twilio;

    @TestHTTPResource("/v1/actions/list_calls")
    URI listCallsUri;

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void atTwiceTheCapacityAdmittedListingsAreCompleteAndRefusalsCostNothingUpstream() throws Exception {
        List<String> callSids = ListCallsSuite.stubCallsWithRecordings(twilio, CALLS_PER_PAGE, LATENCY_MS, LATENCY_MS);

        List<HttpResponse<String>> responses = openLoop(2 * CAPACITY_PER_SECOND, REQUESTS);

        List<String> unexpected = responses.stream().map(HttpResponse::body)
                .filter(body -> !body.contains("\"error\":null") && !body.contains("rate_limited: Voicegate's own limit"))
                .distinct().toList();
        assertEquals(List.of(), unexpected, "every answer is complete or refused at the door");
        int admitted = 0;
        int refused = 0;
        for (HttpResponse<String> response : responses) {
            assertEquals(200, response.statusCode(), response.body());
            ContractSchemas.assertValidOutput("list_calls", response.body());
            JsonNode output = mapper.readTree(response.body());
            if (output.get("success").booleanValue()) {
                assertTrue(output.get("error").isNull(), "never partial from our own limit: " + output.get("error"));
                for (int i = 0; i < CALLS_PER_PAGE; i++) {
                    assertEquals(ListCallsSuite.recordingSid(i), output.at("/calls/" + i + "/recording_sids/0").textValue());
                }
                admitted++;
            } else {
                String error = output.get("error").textValue();
                assertTrue(error.startsWith("rate_limited: Voicegate's own limit of " + SLOTS), error);
                assertTrue(error.contains("Nothing was sent to Twilio"), error);
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(null), "Retry-After");
                refused++;
            }
        }
        assertEquals(REQUESTS, admitted + refused);
        assertTrue(admitted > 0, "some were admitted");
        // Every refusal cost nothing upstream: Twilio saw one page and one lookup per call of each admitted listing,
        // no more (nothing refused half-way, nothing retried); and, from listings that found the account with room,
        // the recordings list's first page beside their calls page (unanswered here, so they looked up per call).
        twilio.verify(admitted, getRequestedFor(urlPathEqualTo(ACCOUNT + "/Calls.json")));
        twilio.verify(admitted * CALLS_PER_PAGE, getRequestedFor(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json")));
        int heads = twilio.findAll(getRequestedFor(urlPathEqualTo(ACCOUNT + "/Recordings.json"))).size();
        assertTrue(heads <= admitted, heads + " first recordings pages for " + admitted + " admitted listings");
        twilio.verify(admitted * (1 + CALLS_PER_PAGE) + heads, anyRequestedFor(urlPathMatching("/.*")));
    }

    /** {@code n} list_calls sent at {@code perSecond}, each at its own time whatever the answers; their answers in order. */
    List<HttpResponse<String>> openLoop(double perSecond, int n) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(new CompletableFuture<>());
        }
        try {
            long periodNanos = (long) (1e9 / perSecond);
            for (int i = 0; i < n; i++) {
                CompletableFuture<HttpResponse<String>> answer = answers.get(i);
                clock.schedule(() -> http.sendAsync(listCalls(), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            if (failure != null) {
                                answer.completeExceptionally(failure);
                            } else {
                                answer.complete(response);
                            }
                        }), i * periodNanos, TimeUnit.NANOSECONDS);
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            clock.shutdownNow();
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    HttpRequest listCalls() {
        return HttpRequest.newBuilder(listCallsUri)
                .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID
                        + "\",\"page_size\":" + CALLS_PER_PAGE + "}"))
                .build();
    }

}
