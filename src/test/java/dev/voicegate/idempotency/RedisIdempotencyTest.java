package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisBackedTest;
import io.quarkus.test.junit.QuarkusTest;

/** Keys in a real Redis: shared state, and failing closed when Redis is down (while the replica stays ready). */
@QuarkusTest
class RedisIdempotencyTest extends RedisBackedTest {

    @Test
    void keysLiveInRedis() {
        String key = "redis-" + System.nanoTime();
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155551212")).statusCode(201);
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155551212")).statusCode(201)
                .header("Idempotent-Replayed", "true").body("call_sid", equalTo(IdempotencyTest.CALL_SID));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'idempotency-store' }.data.kind", equalTo("redis"));
    }

    @Test
    void whenRedisIsDownKeyedCallsFailClosedAndOthersGoOn() {
        redis.outage(() -> {
            IdempotencyTest.rest("down-" + System.nanoTime(), IdempotencyTest.call("+14155551212")).statusCode(503)
                    .body("error", startsWith("upstream_unavailable: the idempotency store is unreachable"))
                    .body("error", containsString("not placed"));
            twilio.verify(0, postRequestedFor(urlEqualTo(CALLS)));

            IdempotencyTest.rest(null, IdempotencyTest.call("+14155551212")).statusCode(201);
            twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));

            // Still ready (every replica shares this Redis: failing with it would take them all out), and says why.
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'idempotency-store' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'idempotency-store' }.data.degraded", equalTo(true));
        });
        awaitReady();
        IdempotencyTest.rest("back-" + System.nanoTime(), IdempotencyTest.call("+14155551212")).statusCode(201);
    }
}
