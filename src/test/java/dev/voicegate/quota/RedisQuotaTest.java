package dev.voicegate.quota;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import dev.voicegate.testing.RedisBackedTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Quotas counted in a real Redis, beside the idempotency keys, and failing closed for make_call when it is down. */
@QuarkusTest
@WithTestResource(GuardedKeys.class)
class RedisQuotaTest extends RedisBackedTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;

    /** An Instance: the client is inactive in the other suites' runs, which have no Redis. */
    @Inject
    Instance<RedisDataSource> redisClient;

    @BeforeEach
    void answerListCalls() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));
    }

    static ValidatableResponse makeCall(String authorization, String idempotencyKey) {
        var request = given().header("Authorization", authorization).contentType(ContentType.JSON);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + ACCOUNT + "/calls").then();
    }

    static ValidatableResponse listCalls(String authorization) {
        return given().header("Authorization", authorization)
                .get("/v1/accounts/" + ACCOUNT + "/calls?include_recordings=false").then();
    }

    @Test
    void callsAreCountedInRedisWithOneEntryPerCallSent() {
        makeCall(GuardedKeys.bearer("minute"), null).statusCode(201);
        makeCall(GuardedKeys.bearer("minute"), null).statusCode(201);
        makeCall(GuardedKeys.bearer("minute"), null).statusCode(429)
                .body("error", containsString("(rule 'max-calls-per-minute')"));
        assertEquals("2", redisClient.get().execute("ZCARD", "voicegate:quota:{key:minute}:calls-per-minute").toString());
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));

        // The operators' key list reads the use from Redis, and reading takes nothing.
        for (int i = 0; i < 2; i++) {
            adminKeys().statusCode(200)
                    .body("keys.find { it.name == 'minute' }.quota_use[0].window", equalTo("calls-per-minute"))
                    .body("keys.find { it.name == 'minute' }.quota_use[0].used", equalTo(2))
                    .body("keys.find { it.name == 'minute' }.quota_use[0].limit", equalTo(2));
        }
        assertEquals("2", redisClient.get().execute("ZCARD", "voicegate:quota:{key:minute}:calls-per-minute").toString());
    }

    static ValidatableResponse adminKeys() {
        return given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/admin/keys").then();
    }

    @Test
    void whenRedisIsDownQuotaLimitedAndKeyedCallsFailClosedAndReadsGoOn() {
        redis.outage(() -> {
            makeCall(GuardedKeys.bearer("daily"), null).statusCode(503)
                    .body("error", startsWith("upstream_unavailable: the quota store is unreachable, so the call was not "
                            + "placed (key 'daily' has quotas that could not be checked)"));
            makeCall(GuardedKeys.bearer("chatty"), null).statusCode(503)
                    .body("error", startsWith("upstream_unavailable: the quota store is unreachable"));
            makeCall(TestAccounts.bearer(TestAccounts.SERVICE_KEY), "down-" + System.nanoTime()).statusCode(503)
                    .body("error", startsWith("upstream_unavailable: the idempotency store is unreachable"));
            twilio.verify(0, anyRequestedFor(anyUrl()));

            listCalls(GuardedKeys.bearer("chatty")).statusCode(200).body("success", equalTo(true));
            listCalls(GuardedKeys.bearer("daily")).statusCode(200).body("success", equalTo(true));
            makeCall(TestAccounts.bearer(TestAccounts.SERVICE_KEY), null).statusCode(201);
            makeCall(GuardedKeys.bearer("uk"), null).statusCode(403);
            twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
            // The key list still answers; the use it could not read is null (a key without quotas: none to read).
            adminKeys().statusCode(200)
                    .body("keys.find { it.name == 'daily' }.quota_use", org.hamcrest.Matchers.nullValue())
                    .body("keys.find { it.name == 'uk' }.quota_use.size()", equalTo(0));
        });
        awaitReady();
        makeCall(GuardedKeys.bearer("daily"), null).statusCode(201);
    }
}
