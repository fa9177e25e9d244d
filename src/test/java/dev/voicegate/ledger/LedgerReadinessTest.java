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
        // Writes kept during an earlier outage (another test) are written first.
        awaitReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.backlog().pending() == 0);
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
            // Still ready (Redis being away never fails readiness), and the ledger's check says what it keeps.
            given().get("/q/health/ready").then().statusCode(200)
                    .body(LEDGER + ".status", equalTo("UP"))
                    .body(LEDGER + ".data.pending_writes", equalTo(2))
                    .body(LEDGER + ".data.degraded", equalTo(true));
        });
        awaitReady();
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.backlog().pending() == 0);
        assertEquals(id, ledger.find("CA" + id).await().atMost(Duration.ofSeconds(5)).orElseThrow().attempt().id());
        given().get("/q/health/ready").then().statusCode(200).body(LEDGER + ".data.degraded", equalTo(false));
    }

    @Test
    void makeCallGoesOnWhileRedisIsDownAndItsEntryIsWrittenAfter() {
        String sid = dev.voicegate.testing.TwilioCalls.newSid();
        twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(dev.voicegate.testing.TwilioStubs.CALLS))
                .willReturn(dev.voicegate.testing.TwilioCalls.created(sid, "+14155551212")));
        redis.outage(() -> given().header("Authorization", dev.voicegate.testing.TestAccounts.bearer(
                dev.voicegate.testing.TestAccounts.SERVICE_KEY)).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + dev.voicegate.testing.TestAccounts.ACCOUNT_SID + "/calls")
                .then().statusCode(201).body("call_sid", equalTo(sid)));
        awaitReady();
        LedgerEntry entry = await().atMost(Duration.ofSeconds(20)).until(() -> {
            try {
                return ledger.find(sid).await().atMost(Duration.ofSeconds(5)).orElse(null);
            } catch (RuntimeException stillCatchingUp) {
                return null;
            }
        }, found -> found != null);
        assertEquals(LedgerEntry.PLACED, entry.outcome());
        assertEquals("+14155551212", entry.attempt().to());
    }
}
