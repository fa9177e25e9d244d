package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.SidHash;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;

/** Keys in a real Redis: shared state, and failing closed when Redis is down (while the replica stays ready). */
@QuarkusTest
class RedisIdempotencyTest extends RedisBackedTest {

    // An Instance: the suites without Redis share these test classes, and there the bean is inactive.
    @Inject
    Instance<ReactiveRedisDataSource> redisSource;

    String raw(String... command) {
        Response response = redisSource.get().execute(command[0], Arrays.copyOfRange(command, 1, command.length))
                .await().atMost(Duration.ofSeconds(5));
        return response == null ? null : response.toString();
    }

    @Test
    void keyNamesCarryTheAccountSidHashedNeverInClear() {
        String key = "hashed-" + System.nanoTime();
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155551212")).statusCode(201);
        String hashed = "voicegate:idempotency:" + SidHash.of(TestAccounts.ACCOUNT_SID) + ":" + key;
        assertEquals(hashed, RedisIdempotencyStore.redisKey(TestAccounts.ACCOUNT_SID.toLowerCase() + ":" + key));
        assertTrue(raw("GET", hashed).contains("DONE"), "the record under the hashed name");
        String names = raw("KEYS", "voicegate:idempotency:*");
        assertTrue(names.contains(hashed), names);
        assertFalse(names.toLowerCase().contains(TestAccounts.ACCOUNT_SID.toLowerCase()), names);
    }

    @Test
    void aKeyWrittenByThePreviousVersionIsStillFoundAndReplayed() {
        String key = "upgrade-" + System.nanoTime();
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155551212")).statusCode(201);
        // As the version before this one left it: the same record under the SID in clear.
        String scoped = TestAccounts.ACCOUNT_SID.toLowerCase() + ":" + key;
        raw("RENAME", RedisIdempotencyStore.redisKey(scoped), RedisIdempotencyStore.legacyKey(scoped));
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155551212")).statusCode(201)
                .header("Idempotent-Replayed", "true").body("call_sid", equalTo(IdempotencyTest.CALL_SID));
        IdempotencyTest.rest(key, IdempotencyTest.call("+14155559999")).statusCode(409);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
        assertEquals("0", raw("EXISTS", RedisIdempotencyStore.redisKey(scoped)), "nothing new written beside it");
    }

    @Test
    void theStoreClaimsComparesAndRemovesUnderTheOldNameWhileARecordIsThere() {
        RedisIdempotencyStore store = new RedisIdempotencyStore(redisSource.get(), Duration.ofSeconds(2));
        String scoped = TestAccounts.ACCOUNT_SID.toLowerCase() + ":store-" + System.nanoTime();
        String legacy = RedisIdempotencyStore.legacyKey(scoped);
        String hashed = RedisIdempotencyStore.redisKey(scoped);
        Duration ttl = Duration.ofMinutes(1);
        raw("SET", legacy, "old-claim", "PX", "60000");
        assertEquals("old-claim", store.get(scoped).await().atMost(Duration.ofSeconds(5)));
        assertEquals("old-claim", store.putIfAbsent(scoped, "new-claim", ttl).await().atMost(Duration.ofSeconds(5)));
        assertEquals(false, store.replace(scoped, "other", "x", ttl).await().atMost(Duration.ofSeconds(5)));
        assertEquals(true, store.replace(scoped, "old-claim", "old-done", ttl).await().atMost(Duration.ofSeconds(5)));
        assertEquals("old-done", raw("GET", legacy));
        assertEquals("0", raw("EXISTS", hashed));
        assertEquals(true, store.remove(scoped, "old-done").await().atMost(Duration.ofSeconds(5)));
        assertEquals("0", raw("EXISTS", legacy));
        // Gone under the old name: a new claim goes under the hashed one, and is found there.
        assertNull(store.putIfAbsent(scoped, "new-claim", ttl).await().atMost(Duration.ofSeconds(5)));
        assertEquals("new-claim", raw("GET", hashed));
        assertEquals("new-claim", store.putIfAbsent(scoped, "again", ttl).await().atMost(Duration.ofSeconds(5)));
        assertEquals(true, store.replace(scoped, "new-claim", "new-done", ttl).await().atMost(Duration.ofSeconds(5)));
        assertEquals("new-done", store.get(scoped).await().atMost(Duration.ofSeconds(5)));
        assertEquals(true, store.remove(scoped, "new-done").await().atMost(Duration.ofSeconds(5)));
        assertNull(store.get(scoped).await().atMost(Duration.ofSeconds(5)));
    }

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
