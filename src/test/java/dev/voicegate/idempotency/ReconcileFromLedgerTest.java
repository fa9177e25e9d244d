package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * A retry after an ambiguous make_call never adopts a call that the ledger accounts for (issue: key B's retry
 * returned key A's call, placed to the same number within the same second). In-memory ledger and key store.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class ReconcileFromLedgerTest {

    static final String TO = "+14155551234";

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    Ledger ledger;

    String keyA;
    String keyB;
    String callA;
    String callB;

    @BeforeEach
    void twoKeysOneNumber() {
        TwilioStubs.reset(twilio);
        long now = System.nanoTime();
        keyA = "task-a-" + now;
        keyB = "task-b-" + now;
        callA = TwilioCalls.newSid();
        callB = TwilioCalls.newSid();
        // A is placed; B's answer is lost (Twilio created callB, but the connection broke).
        TwilioStubs.inTurn(twilio, () -> post(urlEqualTo(CALLS)), TwilioCalls.created(callA, TO),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        place(keyA).statusCode(201).body("call_sid", equalTo(callA));
        place(keyB).statusCode(502).body("error", startsWith("outcome_unknown: "));
    }

    @Test
    void theRetryGetsItsOwnCallNeverTheOtherKeys() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(TwilioCalls.listed(TO, List.of(callB, callA))));
        place(keyB).statusCode(201).header("Idempotent-Replayed", "true").body("call_sid", equalTo(callB));
        place(keyB).statusCode(201).body("call_sid", equalTo(callB));
        place(keyA).statusCode(201).body("call_sid", equalTo(callA));
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));

        // The pending entry of B's attempt now names its call.
        LedgerEntry b = ledger.find(callB).await().indefinitely().orElseThrow();
        assertEquals(keyB, b.attempt().idempotencyKey());
        assertEquals(LedgerEntry.PLACED, b.outcome());
    }

    @Test
    void theAmbiguousAttemptIsAnEntryPendingUntilReconciled() {
        LedgerEntry b = ledger.list(new dev.voicegate.ledger.LedgerQuery(null, null, null, TO, null, null, 50, null))
                .await().indefinitely().entries().stream()
                .filter(entry -> keyB.equals(entry.attempt().idempotencyKey())).findFirst().orElseThrow();
        assertEquals("outcome_unknown", b.outcome());
        assertEquals(null, b.callSid());
    }

    @Test
    void whenOnlyTheOtherKeysCallShowsTheOutcomeStaysUnknown() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(TwilioCalls.listed(TO, List.of(callA))));
        place(keyB).statusCode(502).body("error", startsWith("outcome_unknown: an earlier attempt"))
                .body("call_sid", org.hamcrest.Matchers.nullValue());
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void twoUnaccountedCallsAreNotGuessedBetween() {
        String placedElsewhere = TwilioCalls.newSid();
        twilio.stubFor(get(urlPathEqualTo(CALLS))
                .willReturn(TwilioCalls.listed(TO, List.of(placedElsewhere, callB, callA))));
        place(keyB).statusCode(502).body("error", startsWith("outcome_unknown: "))
                .body("error", containsString("cannot tell which")).body("error", containsString("list_calls"));
        // Asked again, it still does not guess, and never places another call.
        place(keyB).statusCode(502).body("error", containsString("cannot tell which"));
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }

    static ValidatableResponse place(String key) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body("{\"to\":\"" + TO + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then();
    }
}
