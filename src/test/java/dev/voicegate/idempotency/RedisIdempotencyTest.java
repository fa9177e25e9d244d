package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.Breakers;
import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectRedis;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.RedisServer;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Keys in a real Redis: shared state, and failing closed when Redis is down. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(RedisServer.class)
class RedisIdempotencyTest {

    @InjectWireMock
    WireMockServer twilio;

    @InjectRedis
    RedisServer redis;

    @BeforeEach
    void reset() {
        twilio.resetAll();
        Breakers.resetAll();
        twilio.stubFor(post(urlEqualTo(IdempotencyTest.CALLS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.read("call-created.json"))));
    }

    @Test
    void keysLiveInRedis() {
        String key = "redis-" + System.nanoTime();
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155551212")).statusCode(201);
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155551212")).statusCode(201)
                .header("Idempotent-Replayed", "true").body("call_sid", equalTo(IdempotencyTest.CALL_SID));
        twilio.verify(1, postRequestedFor(urlEqualTo(IdempotencyTest.CALLS)));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'idempotency-store' }.data.kind", equalTo("redis"));
    }

    @Test
    void whenRedisIsDownKeyedCallsFailClosedAndOthersGoOn() {
        redis.stopProcess();
        try {
            IdempotencyTest.rest("down-" + System.nanoTime(), IdempotencyTest.call("+14155551212")).statusCode(503)
                    .body("error", startsWith("upstream_unavailable: the idempotency store is unreachable"))
                    .body("error", containsString("not placed"));
            twilio.verify(0, postRequestedFor(urlEqualTo(IdempotencyTest.CALLS)));

            IdempotencyTest.rest(null, IdempotencyTest.call("+14155551212")).statusCode(201);
            twilio.verify(1, postRequestedFor(urlEqualTo(IdempotencyTest.CALLS)));

            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'idempotency-store' }.status", equalTo("DOWN"));
        } finally {
            redis.startProcess();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        IdempotencyTest.rest("back-" + System.nanoTime(), IdempotencyTest.call("+14155551212")).statusCode(201);
    }
}
