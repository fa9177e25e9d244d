package dev.voicegate.quota;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Two replicas of the packaged service share one Redis: 40 concurrent make_calls with a key allowed 10 a minute,
 * spread over both, place exactly 10 calls; a restarted replica still knows they were placed.
 */
@QuarkusIntegrationTest
@WithTestResource(GuardedKeys.class)
class SharedQuotaIT extends RedisBackedTest {

    PackagedApp second;

    @BeforeEach
    void startSecondReplica() {
        second = secondReplica("shared-quota-replica", GuardedKeys.config());
    }

    @AfterEach
    void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }

    static Response makeCall(int port) {
        return makeCall(port, GuardedKeys.bearer("shared"));
    }

    static Response makeCall(int port, String authorization) {
        return given().port(port).header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls");
    }

    @Test
    void fortyConcurrentCallsAcrossTwoReplicasPlaceExactlyTheTenAMinuteAllowed() throws Exception {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json").withFixedDelay(100)));
        int firstPort = RestAssured.port;
        int secondPort = second.port();
        // Warm both replicas with the unnamed key (no quota): a cold first call can outlast the 1 s test timeout.
        for (int port : List.of(firstPort, secondPort)) {
            makeCall(port, TestAccounts.bearer(TestAccounts.SERVICE_KEY));
        }
        twilio.resetRequests();

        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<Response> answers;
        try {
            List<CompletableFuture<Response>> calls = IntStream.range(0, 40)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> makeCall(i % 2 == 0 ? firstPort : secondPort), pool))
                    .toList();
            answers = calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
        // Exactly ten were sent. Each answers 201, or 504 outcome_unknown if Twilio (WireMock) was slower than the
        // per-attempt timeout on this loaded machine: sent all the same, and counted.
        Map<Integer, Long> statuses = answers.stream().collect(Collectors.groupingBy(Response::statusCode,
                Collectors.counting()));
        assertEquals(30L, statuses.get(429), statuses.toString());
        assertEquals(10L, statuses.getOrDefault(201, 0L) + statuses.getOrDefault(504, 0L), statuses.toString());
        for (Response refused : answers.stream().filter(r -> r.statusCode() == 429).toList()) {
            int retryAfter = Integer.parseInt(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertTrue(refused.jsonPath().getString("error").startsWith("rate_limited: key 'shared' has used its 10 calls "
                    + "in the last minute (rule 'max-calls-per-minute')"), refused.asString());
        }
        twilio.verify(10, postRequestedFor(urlEqualTo(CALLS)));

        // A replica that restarts counts on: the calls are in Redis, not in its memory.
        second.restart();
        Function<Integer, Integer> status = port -> makeCall(port).statusCode();
        assertEquals(429, status.apply(secondPort));
        assertEquals(429, status.apply(firstPort));
        twilio.verify(10, postRequestedFor(urlEqualTo(CALLS)));
    }
}
