package dev.voicegate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.WithTestResource;

/**
 * Base of the suites that run the service with {@code REDIS_URL}: WireMock as Twilio, a real {@code redis-server},
 * and Twilio reset before each test with make_call's answer (201, {@code call-created.json}) stubbed. Subclasses
 * add {@code @QuarkusTest} or {@code @QuarkusIntegrationTest} and what else they need; {@link #secondReplica} starts
 * another replica of the packaged service beside the one under test.
 */
@WithTestResource(WireMockTwilio.class)
@WithTestResource(RedisServer.class)
public abstract class RedisBackedTest {

    @InjectWireMock
    protected WireMockServer twilio;

    @InjectRedis
    protected RedisServer redis;

    @BeforeEach
    void resetTwilioAndAnswerMakeCall() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
    }

    /**
     * Another replica of the packaged service, on the same Twilio and Redis, with {@code settings} on top; started
     * and ready. Its output goes to {@code target/<logName>.log}.
     */
    protected PackagedApp secondReplica(String logName, Map<String, String> settings) {
        return PackagedApp.replica(logName, WireMockTwilio.baseUrl(twilio), redis.url(), settings);
    }

    /**
     * Waits until the service has Redis again (after {@link RedisServer#outage}): ready, the {@code redis} check no
     * longer degraded and the idempotency store's PING answered. Readiness alone says nothing: it stays up without Redis.
     */
    protected static void awaitReady() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            io.restassured.response.Response ready = given().get("/q/health/ready");
            return ready.statusCode() == 200
                    && Boolean.FALSE.equals(ready.path("checks.find { it.name == 'redis' }.data.degraded"))
                    && Boolean.FALSE.equals(ready.path("checks.find { it.name == 'idempotency-store' }.data.degraded"));
        });
    }
}
