package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.limit.AccountLimiter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An attempt that times out gives its account slot back at once: the fault-tolerance timeout alone fails the caller
 * but leaves a {@code Uni} running, so the slot would stay taken until Twilio answered or the REST client's own read
 * timeout (30 s) cut the connection. The tests' per-attempt timeout is 1 s; Twilio here answers after 20 s.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class TimedOutAttemptTest {

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    AccountLimiter limiter;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    @Test
    void aTimedOutAttemptGivesItsSlotBackAtOnce() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json").withFixedDelay(20_000)));

        MakeCallTest.action(MakeCallTest.body(",\"url\":\"https://example.com/twiml\""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("outcome_unknown: Twilio did not answer in time."));

        // Twilio has not answered (for another 19 s), yet the slot is free again.
        await().atMost(Duration.ofSeconds(2)).until(() -> limiter.inFlight(TestAccounts.ACCOUNT_SID) == 0);
        assertEquals(0, limiter.busyAccounts());
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS))); // make_call never resends after a timeout
    }
}
