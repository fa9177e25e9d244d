package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.inTurn;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Short waits: once the grace period is over and Twilio still shows no call, the keyed retry places it;
 * a request that waits longer than the in-flight wait for another one is told to come back.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@TestProfile(IdempotencyGraceTest.NoGrace.class)
class IdempotencyGraceTest {

    public static class NoGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicegate.idempotency.reconcile-grace", "PT0S",
                    "voicegate.idempotency.in-flight-wait", "PT0.2S");
        }
    }

    @InjectWireMock
    WireMockServer twilio;

    @Test
    void aRequestWaitingTooLongForTheFirstIsToldItIsStillInProgress() throws Exception {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json").withFixedDelay(700)));
        java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                IdempotencyTest.rest("slow-key", IdempotencyTest.call("+14155551212")).extract().statusCode());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> twilio.getAllServeEvents().size() == 1);

        IdempotencyTest.rest("slow-key", IdempotencyTest.call("+14155551212")).statusCode(409)
                .header("Retry-After", "1")
                .body("error", startsWith("rate_limited: a make_call with this idempotency_key is still in progress"));
        assertEquals(201, first.get());
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void anAmbiguousAttemptThatNeverShowsUpIsPlacedAgain() {
        TwilioStubs.reset(twilio);
        inTurn(twilio, () -> post(urlEqualTo(CALLS)), fixture(503, "error-20500.json"), fixture(201, "call-created.json"));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));

        IdempotencyTest.rest("grace-key", IdempotencyTest.call("+14155551212"))
                .body("error", startsWith("outcome_unknown: "));
        IdempotencyTest.rest("grace-key", IdempotencyTest.call("+14155551212")).statusCode(201)
                .body("call_sid", equalTo(IdempotencyTest.CALL_SID));
        IdempotencyTest.rest("grace-key", IdempotencyTest.call("+14155551212")).statusCode(201)
                .header("Idempotent-Replayed", "true");

        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }
}
