package dev.voicegate.ledger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisBackedTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service with REDIS_URL: the ledger is the Redis one, and readiness shows the writes it keeps while Redis is down
 * (without failing on them), then writes them once Redis is back (issue #21: "Redis down: make_call goes on, the entry
 * is written later, and readiness reports it").
 */
@QuarkusTest
class LedgerReadinessTest extends RedisBackedTest {

    static final String LEDGER = "checks.find { it.name == 'ledger' }";

    @Inject
    Ledger ledger;

    @Test
    void readinessReportsWritesKeptWhileRedisIsDownAndTheyAreWrittenAfter() {
        given().get("/q/health/ready").then().statusCode(200)
                .body(LEDGER + ".status", equalTo("UP"))
                .body(LEDGER + ".data.store", equalTo("redis"))
                .body(LEDGER + ".data.pending_writes", equalTo(0))
                .body(LEDGER + ".data.degraded", equalTo(false));
        String id = "readiness-" + System.nanoTime();
        redis.outage(() -> {
            ledger.attempted(LedgerContractTest.attempt(id, LedgerContractTest.ACCOUNT, "agent-a", "+14155551234", null,
                    Instant.now()));
            ledger.outcome(id, "CA" + id, LedgerEntry.PLACED);
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.backlog().degraded());
            // Not ready (the idempotency store is down), but the ledger's own check stays up and says what it keeps.
            given().get("/q/health/ready").then().statusCode(503)
                    .body(LEDGER + ".status", equalTo("UP"))
                    .body(LEDGER + ".data.pending_writes", equalTo(2))
                    .body(LEDGER + ".data.degraded", equalTo(true));
        });
        awaitReady();
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.backlog().pending() == 0);
        assertEquals(id, ledger.find("CA" + id).await().atMost(Duration.ofSeconds(5)).orElseThrow().attempt().id());
        given().get("/q/health/ready").then().statusCode(200).body(LEDGER + ".data.degraded", equalTo(false));
    }
}
