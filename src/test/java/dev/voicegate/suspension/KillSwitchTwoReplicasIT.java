package dev.voicegate.suspension;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * The kill switch across two replicas of the packaged service sharing one Redis: a suspension made on one reaches the
 * other (the time is measured and printed; the target is 1 s, the assertion a generous 5 s), so does the resume, and
 * a replica started while a key is suspended refuses it from its first request.
 */
@QuarkusIntegrationTest
@WithTestResource(GuardedKeys.class)
class KillSwitchTwoReplicasIT extends RedisBackedTest {

    static final String KEY = "suspendable";
    static final String MAKE_CALL = "{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}";

    PackagedApp second;

    @BeforeEach
    void startSecondReplica() {
        second = secondReplica("kill-switch-replica", GuardedKeys.config());
    }

    @AfterEach
    void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }

    static int makeCall(int port) {
        return given().port(port).header("Authorization", GuardedKeys.bearer(KEY)).contentType(ContentType.JSON)
                .body(MAKE_CALL).post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").statusCode();
    }

    static void control(String action) {
        given().header("Authorization", GuardedKeys.bearer("operator")).post("/v1/admin/keys/" + KEY + "/" + action)
                .then().statusCode(200);
    }

    /**
     * Runs {@code control} on the first replica; the milliseconds from its answer until the second answers
     * {@code status} (polled every few ms, so the figure is an upper bound).
     */
    long switchReaches(String action, int status) {
        control(action);
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> makeCall(second.port()) == status);
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    @Test
    void theSwitchReachesTheOtherReplicaAndANewReplicaLoadsIt() {
        makeCall(second.port()); // warm the second replica's request path
        long suspended = switchReaches("suspend", 403);
        long resumed = switchReaches("resume", 201);
        System.out.printf("kill switch: suspend reached the other replica in %d ms, resume in %d ms%n", suspended, resumed);
        assertTrue(suspended < 5000 && resumed < 5000, () -> suspended + " ms / " + resumed + " ms");

        control("suspend");
        PackagedApp third = secondReplica("kill-switch-third", GuardedKeys.config());
        try {
            given().port(third.port()).header("Authorization", GuardedKeys.bearer(KEY)).contentType(ContentType.JSON)
                    .body(MAKE_CALL).post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(403)
                    .body("error", org.hamcrest.Matchers.containsString("rule 'suspended'"));
            given().port(third.port()).header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/keys")
                    .then().statusCode(200).body("keys.find { it.name == 'suspendable' }.state", equalTo("suspended"));
        } finally {
            third.close();
            control("resume");
        }
    }
}
