package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Two replicas of the packaged service share one Redis: 50 concurrent make_calls with one key,
 * spread over both, reach Twilio exactly once and all answer with the same call; and a retry after an ambiguous
 * attempt on one replica never adopts the call another key placed on the other (the shared call ledger).
 */
@QuarkusIntegrationTest
class TwoInstancesIT extends RedisBackedTest {

    PackagedApp second;

    @BeforeEach
    void startSecondReplica() {
        second = secondReplica("second-replica", Map.of());
    }

    @AfterEach
    void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyAcrossTwoReplicasPlaceOneCall() throws Exception {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json").withFixedDelay(300)));
        int firstPort = RestAssured.port;
        String key = "two-replicas-" + System.nanoTime();

        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<String>> answers = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().port(i % 2 == 0 ? firstPort : second.port())
                            .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                            .header("Idempotency-Key", key).contentType(ContentType.JSON)
                            .body(IdempotencyTest.call("+14155551212"))
                            .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls")
                            .then().statusCode(201).extract().path("call_sid").toString(), pool))
                    .toList();
            Set<String> sids = answers.stream().map(CompletableFuture::join).collect(Collectors.toSet());
            assertEquals(Set.of(IdempotencyTest.CALL_SID), sids);
        } finally {
            pool.shutdownNow();
        }
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aRetryOnOneReplicaNeverAdoptsTheCallAnotherKeyPlacedOnTheOther() {
        String to = ReconcileFromLedgerTest.TO;
        String callA = TwilioCalls.newSid();
        String callB = TwilioCalls.newSid();
        String keyA = "replica-a-" + System.nanoTime();
        String keyB = "replica-b-" + System.nanoTime();
        TwilioStubs.inTurn(twilio, () -> post(urlEqualTo(CALLS)), TwilioCalls.created(callA, to),
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
        ReconcileFromLedgerTest.place(keyA).statusCode(201).body("call_sid", org.hamcrest.Matchers.equalTo(callA));
        given().port(second.port()).header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .header("Idempotency-Key", keyB).contentType(ContentType.JSON)
                .body("{\"to\":\"" + to + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(502);

        // Twilio shows both; the first replica knows from the shared ledger that callA is key A's.
        twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(CALLS))
                .willReturn(TwilioCalls.listed(to, List.of(callB, callA))));
        ReconcileFromLedgerTest.place(keyB).statusCode(201).body("call_sid", org.hamcrest.Matchers.equalTo(callB));
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }
}
