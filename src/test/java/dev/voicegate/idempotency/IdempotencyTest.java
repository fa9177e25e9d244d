package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.inTurn;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.voicegate.testing.Breakers;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** make_call idempotency with the embedded (memory) store: never ring twice. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class IdempotencyTest {

    static final String CALL_SID = "CAc0ffee00c0ffee00c0ffee00c0ffee00";
    /** The fingerprint of {@code call("+14155551212")}, as the previous version computed and stored it. */
    static final String CALL_FINGERPRINT = "7bb27c72cb9e5c3cda59bd1471e6c525971ee406f33f80cf2b7dcdeffaf5b197";
    static int keys;

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    IdempotencyStore store;

    String key;
    /** The call Twilio lists in {@link #twilioListsTheCall}: a new one per test, which no ledger entry accounts for. */
    String listed;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        // A fresh key per test: the store outlives the tests of this class.
        key = "order-" + System.nanoTime() + "-" + (++keys);
        listed = "CA" + java.util.HexFormat.of().toHexDigits(System.nanoTime()) + "0000000000000000";
    }

    /** Where make_call keeps {@link #key} for {@link #call} requests. */
    String storeKey() {
        return TestAccounts.ACCOUNT_SID.toLowerCase() + ":" + key;
    }

    static String rfc2822Now() {
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH).format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** Twilio lists the call to +14155551212 as created now. */
    void twilioListsTheCall() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json("{\"calls\":[{\"sid\":\"" + listed + "\","
                        + "\"to\":\"+14155551212\",\"from\":\"+15017122661\",\"status\":\"ringing\",\"direction\":\"outbound-api\","
                        + "\"date_created\":\"" + rfc2822Now() + "\"}],\"page\":0,\"page_size\":50,\"next_page_uri\":null}")));
    }

    void twilioCreates(int delayMillis) {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json").withFixedDelay(delayMillis)));
    }

    static ValidatableResponse rest(String key, String body) {
        var request = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.body(body).post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then();
    }

    static String call(String to) {
        return "{\"to\":\"" + to + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}";
    }

    @Test
    void sameKeySameRequestIsPlacedOnceAndReplayed() {
        twilioCreates(0);
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", nullValue())
                .body("call_sid", equalTo(CALL_SID));
        String replay = rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", "true")
                .body("call_sid", equalTo(CALL_SID)).extract().asString();
        ContractSchemas.assertValidOutput("make_call", replay);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void theToolCallTakesTheKeyAsAParameter() {
        twilioCreates(0);
        String body = "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\",\"idempotency_key\":\"" + key + "\"}";
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                    .body(body).post("/v1/actions/make_call").then().statusCode(200)
                    .body("success", equalTo(true)).body("call_sid", equalTo(CALL_SID));
        }
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
        // The REST header and the tool-call parameter are one key space.
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", "true");
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void sameKeyWithOtherParametersIsRefusedWithoutCallingTwilio() {
        twilioCreates(0);
        rest(key, call("+14155551212")).statusCode(201);
        rest(key, call("+14155550000")).statusCode(409)
                .body("error", startsWith("invalid_request: 'idempotency_key' was already used with different parameters"));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void concurrentRequestsWithOneKeyPlaceOneCall() throws Exception {
        twilioCreates(400);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<String>> answers = IntStream.range(0, 20)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> rest(key, call("+14155551212")).statusCode(201)
                            .extract().path("call_sid").toString(), pool))
                    .toList();
            for (CompletableFuture<String> answer : answers) {
                assertEquals(CALL_SID, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void twilioRejectionsAreStoredAndReplayed() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(400, "error-21211.json")));
        rest(key, call("+14155551212")).statusCode(502).body("error", startsWith("twilio_error: Twilio error 21211"));
        rest(key, call("+14155551212")).statusCode(502).header("Idempotent-Replayed", "true")
                .body("error", startsWith("twilio_error: Twilio error 21211"));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aCallProvablyNotPlacedFreesTheKey() {
        inTurn(twilio, () -> post(urlEqualTo(CALLS)),
                fixture(429, "error-20429.json").withHeader("Retry-After", "30"), fixture(201, "call-created.json"));
        rest(key, call("+14155551212")).statusCode(429).body("error", containsString("not placed"));
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", nullValue())
                .body("call_sid", equalTo(CALL_SID));
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void invalidRequestsAreNotStored() {
        twilioCreates(0);
        rest(key, "{\"to\":\"+14155551212\",\"from_\":\"+15017122661\"}").statusCode(400);
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", nullValue());
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void malformedKeysAreInvalid() {
        rest("x".repeat(256), call("+14155551212")).statusCode(400).body("error", containsString("'idempotency_key'"));
        rest("caf\u00e9", call("+14155551212")).statusCode(400).body("error", containsString("'idempotency_key'"));
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\","
                        + "\"url\":\"https://example.com/twiml\",\"idempotency_key\":\"\"}")
                .post("/v1/actions/make_call").then().statusCode(200).body("error", containsString("'idempotency_key'"));
        twilio.verify(0, WireMock.anyRequestedFor(WireMock.anyUrl()));
    }

    @Test
    void anAmbiguousAttemptIsReconciledWithTwilioInsteadOfResent() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        rest(key, call("+14155551212")).statusCode(502).body("error", startsWith("outcome_unknown: "));

        // Twilio did create it: the retry finds it by to/from and date instead of dialling again.
        twilioListsTheCall();
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", "true")
                .body("call_sid", equalTo(listed)).body("status", equalTo("ringing"));
        rest(key, call("+14155551212")).statusCode(201).body("call_sid", equalTo(listed));

        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(CALLS))
                .withQueryParam("To", WireMock.equalTo("+14155551212"))
                .withQueryParam("From", WireMock.equalTo("+15017122661")));
    }

    @Test
    void anAmbiguousAttemptNotYetVisibleIsNotResentWithinTheGracePeriod() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(500, "error-20500.json")));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));
        rest(key, call("+14155551212")).body("error", startsWith("outcome_unknown: "));
        rest(key, call("+14155551212")).statusCode(502).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error", startsWith("outcome_unknown: an earlier attempt"));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void callsWithoutAKeyAreUnaffected() {
        twilioCreates(0);
        rest(null, call("+14155551212")).statusCode(201);
        rest(null, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", nullValue());
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void anAmbiguousAttemptTwilioCannotBeAskedAboutStaysUnknownUntilItCan() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        rest(key, call("+14155551212")).statusCode(502).body("error", startsWith("outcome_unknown: "));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(500, "error-20500.json")));

        rest(key, call("+14155551212")).statusCode(502).header("Retry-After", nullValue())
                .body("error", equalTo("outcome_unknown: an earlier attempt with this idempotency_key may have placed "
                        + "the call, and Twilio could not be checked now; retry with the same key later."));

        Breakers.resetAll();
        twilioListsTheCall();
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", "true")
                .body("call_sid", equalTo(listed));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aClaimWhoseHolderVanishedIsReconciledWithTwilio() {
        // A replica claimed the key a minute ago and died while placing the call.
        long aMinuteAgo = System.currentTimeMillis() - 60_000;
        store.putIfAbsent(storeKey(), "{\"fingerprint\":\"" + CALL_FINGERPRINT + "\",\"state\":\"IN_FLIGHT\","
                + "\"startedAt\":" + aMinuteAgo + ",\"leaseUntil\":" + aMinuteAgo + "}", Duration.ofMinutes(5))
                .await().indefinitely();
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));

        // Not on Twilio and well past the grace period: its attempt never got there, so it is placed now.
        twilioCreates(0);
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", nullValue())
                .body("call_sid", equalTo(CALL_SID));
        rest(key, call("+14155551212")).statusCode(201).header("Idempotent-Replayed", "true");
        twilio.verify(WireMock.moreThanOrExactly(1), getRequestedFor(urlPathEqualTo(CALLS)));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void anOutcomeStoredByThePreviousVersionIsReplayed() {
        String refused = "twilio_error: Twilio error 21211: Invalid 'To' Phone Number: ***XXXX. Retrying will not help.";
        store.putIfAbsent(storeKey(), "{\"fingerprint\":\"" + CALL_FINGERPRINT + "\",\"state\":\"DONE\","
                + "\"startedAt\":1767225600000,\"leaseUntil\":0,\"output\":{\"success\":false,\"error\":\"" + refused + "\"},"
                + "\"httpStatus\":502,\"category\":\"TWILIO_ERROR\"}", Duration.ofMinutes(5)).await().indefinitely();

        String replay = rest(key, call("+14155551212")).statusCode(502).header("Idempotent-Replayed", "true")
                .body("error", equalTo(refused)).extract().asString();
        ContractSchemas.assertValidOutput("make_call", replay);
        twilio.verify(0, WireMock.anyRequestedFor(WireMock.anyUrl()));
    }
}
