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
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Two replicas of the packaged service share one Redis: 50 concurrent make_calls with one key,
 * spread over both, reach Twilio exactly once and all answer with the same call.
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
}
