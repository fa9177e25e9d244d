package dev.voicegate.observability;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisBackedTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service with REDIS_URL and Redis gone: readiness and liveness stay up, the {@code redis} check says it is
 * degraded and what fails closed, {@code voicegate_redis_degraded} is 1; all back to normal once Redis is back.
 */
@QuarkusTest
class RedisOutageReadinessTest extends RedisBackedTest {

    static final String REDIS = "checks.find { it.name == 'redis' }";

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void readinessStaysUpWhileRedisIsAwayAndTheDetailsAndTheGaugeSaySo() {
        awaitReady();
        given().get("/q/health/ready").then().statusCode(200)
                .body(REDIS + ".status", equalTo("UP"))
                .body(REDIS + ".data.configured", equalTo(true))
                .body(REDIS + ".data.degraded", equalTo(false));
        given().get("/q/metrics").then().body(containsString("voicegate_redis_degraded 0.0"));
        redis.outage(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics().contains("voicegate_redis_degraded 1.0"));
            given().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body(REDIS + ".status", equalTo("UP"))
                    .body(REDIS + ".data.degraded", equalTo(true))
                    .body(REDIS + ".data.fails_closed", containsString("Idempotency-Key"))
                    .body("checks.find { it.name == 'idempotency-store' }.data.degraded", equalTo(true));
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics().contains("voicegate_redis_degraded 0.0"));
        awaitReady();
        given().get("/q/health/ready").then().statusCode(200).body(REDIS + ".data.degraded", equalTo(false));
    }
}
