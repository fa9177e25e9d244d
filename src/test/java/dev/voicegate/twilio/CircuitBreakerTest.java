package dev.voicegate.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.limit.Turn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/** Client level: the breaker opens on sustained 5xx, then fails fast without calling Twilio; 4xx never opens it. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class CircuitBreakerTest {

    static final TwilioCredentials CREDENTIALS = new TwilioCredentials(TestAccounts.ACCOUNT_SID,
            TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN);
    static final CallQuery ALL = new CallQuery(null, null, null, null, null, 50, null, null);

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    TwilioClient client;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        twilio.resetAll();
        breakers.resetAll();
    }

    Throwable listFails() {
        return client.listCalls(CREDENTIALS, ALL, Turn.FIRST).subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitFailure().getFailure();
    }

    @Test
    void opensOnSustainedServerErrorsAndThenFailsFast() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(500, "error-20500.json")));

        // Each call makes 1 + 3 attempts; the breaker judges the last 20 attempts.
        for (int i = 0; i < 5; i++) {
            listFails();
        }
        assertEquals(CircuitBreakerState.OPEN, breakers.currentState("twilio-list-calls"));
        // One breaker per operation, though declared once on the class: the others stay closed.
        for (String other : List.of("twilio-create-call", "twilio-list-call-recordings", "twilio-list-recordings",
                "twilio-fetch-recording", "twilio-list-transcriptions")) {
            assertEquals(CircuitBreakerState.CLOSED, breakers.currentState(other), other);
        }
        // The state gauge follows the breaker: registered once per operation, not by whichever call came first.
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("ft_circuitbreaker_state_current{method=\"twilio-list-calls\",state=\"open\"} 1.0"),
                metrics.lines().filter(line -> line.startsWith("ft_circuitbreaker_state_current")).toList().toString());
        // Voicegate's own gauge, there from start-up for every operation (the dashboard's and the alert's): 2 is open.
        assertTrue(metrics.contains("voicegate_twilio_breaker_state{breaker=\"twilio-list-calls\"} 2.0"), metrics);
        assertTrue(metrics.contains("voicegate_twilio_breaker_state{breaker=\"twilio-create-call\"} 0.0"), metrics);
        int sent = twilio.getAllServeEvents().size();

        assertInstanceOf(CircuitBreakerOpenException.class, listFails());
        twilio.verify(sent, getRequestedFor(urlPathEqualTo(CALLS)));
    }

    @Test
    void clientErrorsNeverOpenIt() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(404, "error-20404.json")));

        for (int i = 0; i < 25; i++) {
            assertInstanceOf(TwilioException.Rejected.class, listFails());
        }
        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState("twilio-list-calls"));
        // A 4xx is final: no retries.
        twilio.verify(25, getRequestedFor(urlPathEqualTo(CALLS)));
    }
}
