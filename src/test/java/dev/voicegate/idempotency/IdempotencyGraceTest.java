package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Once the grace period is over and Twilio still shows no call, the keyed retry places it. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@TestProfile(IdempotencyGraceTest.NoGrace.class)
class IdempotencyGraceTest {

    public static class NoGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicegate.idempotency.reconcile-grace", "PT0S");
        }
    }

    @InjectWireMock
    WireMockServer twilio;

    @Test
    void anAmbiguousAttemptThatNeverShowsUpIsPlacedAgain() {
        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(IdempotencyTest.CALLS)).inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.read("error-20500.json")))
                .willSetStateTo("healthy"));
        twilio.stubFor(post(urlEqualTo(IdempotencyTest.CALLS)).inScenario("flaky").whenScenarioStateIs("healthy")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.read("call-created.json"))));
        twilio.stubFor(get(urlPathEqualTo(IdempotencyTest.CALLS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.read("calls-page-last.json"))));

        IdempotencyTest.rest("grace-key", IdempotencyTest.call("+14155551212"))
                .body("error", startsWith("outcome_unknown: "));
        IdempotencyTest.rest("grace-key", IdempotencyTest.call("+14155551212")).statusCode(201)
                .body("call_sid", equalTo(IdempotencyTest.CALL_SID));
        IdempotencyTest.rest("grace-key", IdempotencyTest.call("+14155551212")).statusCode(201)
                .header("Idempotent-Replayed", "true");

        twilio.verify(2, postRequestedFor(urlEqualTo(IdempotencyTest.CALLS)));
    }
}
