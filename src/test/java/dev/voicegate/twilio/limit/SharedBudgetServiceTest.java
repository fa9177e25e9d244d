package dev.voicegate.twilio.limit;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.RedisBackedTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The service with REDIS_URL: Twilio requests take a slot of the shared budget (readiness details, metrics without
 * SIDs), and when Redis goes away they go on under the local share (32 / 4 = 8), make_call included, until Redis
 * is back.
 */
@QuarkusTest
class SharedBudgetServiceTest extends RedisBackedTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;

    @BeforeEach
    void answerListCallsAndWarm() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));
        listCalls(); // warm: a cold first request may outlast the short per-attempt timeout of the tests
        twilio.resetRequests();
        // A test before this one (here or in another class on the same service) may have stopped Redis.
        await().atMost(Duration.ofSeconds(15)).until(() -> "shared".equals(mode()));
    }

    static String mode() {
        return given().get("/q/health/ready").then().extract().path("checks.find { it.name == 'twilio-budget' }.data.mode");
    }

    static ValidatableResponse listCalls() {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + ACCOUNT + "/calls?include_recordings=false").then();
    }

    static ValidatableResponse budgetCheck() {
        return given().get("/q/health/ready").then();
    }

    @Test
    void requestsTakeASlotOfTheSharedBudgetShownWithoutTheSid() {
        listCalls().statusCode(200);
        twilio.verify(1, getRequestedFor(urlPathEqualTo(CALLS)));
        budgetCheck().statusCode(200)
                .body("checks.find { it.name == 'twilio-budget' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'twilio-budget' }.data.mode", equalTo("shared"))
                .body("checks.find { it.name == 'twilio-budget' }.data.per-account", equalTo(32));
        String label = SharedBudget.label(ACCOUNT);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("voicegate_upstream_budget_in_use{account=\"" + label + "\",scope=\"shared\"} 0.0"))
                .body(containsString("voicegate_upstream_budget_fallback 0.0"))
                .body(not(containsString(ACCOUNT.substring(2))));
    }

    @Test
    void withRedisDownRequestsGoOnUnderTheLocalShareAndReadinessSaysSo() {
        redis.outage(() -> {
            // The first request after Redis went away finds out, and is sent all the same, once.
            given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType("application/json")
                    .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                    .post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(201);
            twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
            for (int i = 0; i < 3; i++) {
                listCalls().statusCode(200);
            }
            twilio.verify(3, getRequestedFor(urlPathEqualTo(CALLS)));
            // Not failed by the budget (nor by anything else: readiness never depends on Redis).
            budgetCheck().body("checks.find { it.name == 'twilio-budget' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'twilio-budget' }.data.mode", equalTo("local-share"))
                    .body("checks.find { it.name == 'twilio-budget' }.data.per-account", equalTo(8));
            given().get("/q/metrics").then().body(containsString("voicegate_upstream_budget_fallback 1.0"));
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> "shared".equals(mode()));
        listCalls().statusCode(200);
    }
}
