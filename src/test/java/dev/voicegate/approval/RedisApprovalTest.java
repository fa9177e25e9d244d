package dev.voicegate.approval;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Approvals in a real Redis: one opened by this instance is decided through another store on the same Redis (as
 * another replica would), and the retry here places the call once; with Redis down, a call that needs approval is
 * refused (503) with nothing sent. Two packaged replicas are not started here.
 */
@QuarkusTest
@WithTestResource(GuardedKeys.class)
class RedisApprovalTest extends RedisBackedTest {

    // An Instance: the suites without Redis share these test classes, and there the bean is inactive.
    @Inject
    Instance<ReactiveRedisDataSource> redisSource;

    @Inject
    Ledger ledger;

    @Test
    void newNumbersReadsTheLedgerInRedis() {
        String called = "+1415556" + (1000 + (int) (Math.random() * 8999));
        String id = UUID.randomUUID().toString();
        String sid = TwilioCalls.newSid();
        ledger.attempted(new CallAttempt(id, TestAccounts.ACCOUNT_SID, "approval-new", "rest", called, "+15017122661",
                "https://example.com/twiml", null, null, "req-" + id, "trace-" + id, Instant.now(), false, null));
        ledger.outcome(id, sid, LedgerEntry.PLACED);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(sid).await().atMost(Duration.ofSeconds(5))
                .map(entry -> LedgerEntry.PLACED.equals(entry.outcome())).orElse(false));

        String body = "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\",\"to\":\"";
        Response known = given().header("Authorization", GuardedKeys.bearer("approval-new")).contentType(ContentType.JSON)
                .body(body + called + "\"}").post("/v1/actions/make_call");
        assertEquals(true, known.jsonPath().getBoolean("success"), known.asString());
        Response unknown = given().header("Authorization", GuardedKeys.bearer("approval-new"))
                .contentType(ContentType.JSON).body(body + "+14155550199\"}").post("/v1/actions/make_call");
        assertTrue(unknown.jsonPath().getString("error").startsWith("invalid_request: calls of key 'approval-new' need"),
                unknown.asString());
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    static Response makeCall(String idempotencyKey) {
        return given().header("Authorization", GuardedKeys.bearer("approval-always")).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\",\"from_\":"
                        + "\"+15017122661\",\"url\":\"https://example.com/twiml\",\"idempotency_key\":\""
                        + idempotencyKey + "\"}")
                .post("/v1/actions/make_call");
    }

    @Test
    void anApprovalDecidedThroughAnotherStoreOnTheSameRedisCounts() {
        String key = "redis-" + UUID.randomUUID();
        String error = makeCall(key).then().statusCode(200).extract().jsonPath().getString("error");
        assertTrue(error.startsWith("pending_approval: approval_id AP"), error);
        String id = error.substring("pending_approval: approval_id ".length()).substring(0, 34);

        Approvals otherReplica = new Approvals(new RedisApprovalStore(redisSource.get(), Duration.ofSeconds(2),
                Clock.systemUTC()), null, name -> Approvals.Mode.ALWAYS, Duration.ofHours(1), Clock.systemUTC());
        assertEquals(Approval.State.PENDING, otherReplica.find(id).await().atMost(Duration.ofSeconds(5)).state());
        assertEquals(Approval.State.APPROVED, otherReplica.decide(id, Approval.State.APPROVED, "operator")
                .await().atMost(Duration.ofSeconds(5)).state());
        assertEquals("approved", given().header("Authorization", GuardedKeys.bearer("operator"))
                .get("/v1/admin/approvals").then().statusCode(200).extract().jsonPath()
                .getString("approvals.find { it.approval_id == '" + id + "' }.state"));

        assertEquals(true, makeCall(key).then().statusCode(200).extract().jsonPath().getBoolean("success"));
        assertEquals("true", makeCall(key).header("Idempotent-Replayed"));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void whenRedisIsDownACallThatNeedsApprovalIsNotPlaced() {
        redis.outage(() -> {
            String error = makeCall("down-" + UUID.randomUUID()).then().statusCode(200).extract().jsonPath()
                    .getString("error");
            assertTrue(error.startsWith("upstream_unavailable: the approval or idempotency store is unreachable"), error);
            given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/approvals").then()
                    .statusCode(503);
            twilio.verify(0, anyRequestedFor(anyUrl()));
        });
        awaitReady();
    }
}
