package dev.voicegate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * Two replicas of the packaged service share one Redis, and Redis is killed: both stay ready (a readiness that failed
 * with the shared Redis would empty the Service), reads go on, a keyed make_call fails closed with 503
 * {@code upstream_unavailable} on both, and both place keyed calls again within seconds of Redis's return.
 */
@QuarkusIntegrationTest
class RedisOutageTwoReplicasIT extends RedisBackedTest {

    PackagedApp second;
    List<Integer> ports;

    @BeforeEach
    void startSecondReplica() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));
        // As RedisServer sets it for the first: the do-not-call list lets calls through while Redis is away, so that
        // the refusal tested here is the idempotency store's.
        second = secondReplica("redis-outage-replica", Map.of("voicegate.do-not-call.fail-closed", "false"));
        ports = List.of(RestAssured.port, second.port()); // the application under test, then the second replica
    }

    @AfterEach
    void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }

    static ValidatableResponse keyedCall(int port, String key) {
        return given().port(port).header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then();
    }

    static Response listCalls(int port) {
        return given().port(port).header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?include_recordings=false");
    }

    static Response ready(int port) {
        return given().port(port).get("/q/health/ready");
    }

    @Test
    void bothReplicasStayReadyReadsGoOnKeyedCallsFailClosedAndAllIsBackSoonAfter() {
        for (int port : ports) {
            keyedCall(port, "before-" + port + "-" + System.nanoTime()).statusCode(201);
        }
        redis.stopProcess();
        try {
            for (int port : ports) {
                await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(
                        ready(port).path("checks.find { it.name == 'redis' }.data.degraded")));
                ready(port).then().statusCode(200).body("status", equalTo("UP"));
                given().port(port).get("/q/health/live").then().statusCode(200);
                assertEquals(200, listCalls(port).statusCode(), "reads go on without Redis");
                keyedCall(port, "during-" + port + "-" + System.nanoTime()).statusCode(503)
                        .body("success", equalTo(false))
                        .body("error", startsWith("upstream_unavailable: the idempotency store is unreachable"));
                assertEquals(200, ready(port).statusCode(), "still ready after refusing");
            }
        } finally {
            redis.startProcess();
        }
        long back = System.nanoTime();
        for (int port : ports) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> keyedCall(port, "after-" + port + "-" + System.nanoTime()).extract().statusCode() == 201);
            await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.FALSE.equals(
                    ready(port).path("checks.find { it.name == 'redis' }.data.degraded")));
        }
        System.out.printf("Redis outage: both replicas placed keyed calls again %d ms after Redis returned%n",
                Duration.ofNanos(System.nanoTime() - back).toMillis());
    }
}
