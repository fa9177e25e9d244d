package dev.voicegate.callback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.voicegate.callback.Callbacks.RECORDING;
import static dev.voicegate.callback.Callbacks.STATUS;
import static dev.voicegate.callback.Callbacks.placed;
import static dev.voicegate.callback.Callbacks.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.twilio.security.RequestValidator;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.Delivery;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.testing.CallbacksOn;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.TwilioSignature;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The caller's own callbacks, relayed: exactly one final event, every field Twilio sent, the caller's method, and a
 * signature for the caller's URL that Twilio's own validator (twilio-java 13.0.1) accepts. A WireMock on loopback
 * (allowed by {@code relay-allow}) stands in for the caller's endpoint.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(CallbacksOn.class)
class CallbackRelayTest {

    @Inject
    Ledger ledger;

    @InjectWireMock
    WireMockServer caller;

    @BeforeEach
    void reset() {
        caller.resetAll();
        caller.stubFor(any(urlPathMatching("/caller/.*")).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void theCompletedEventReachesTheCallersUrlOnceSignedForIt() {
        String url = base() + "/caller/status?tenant=7";
        String callSid = placed(ledger, new CallAttempt.Relay(url, null, null));
        post(STATUS, Callbacks.status(callSid, "ringing", 1)).then().statusCode(200);
        Map<String, List<String>> completed = Callbacks.status(callSid, "completed", 3);
        post(STATUS, completed).then().statusCode(200);
        post(STATUS, completed).then().statusCode(200);

        Delivery delivery = awaitDelivery(callSid);
        assertEquals(new Delivery("status_callback", "completed", "delivered", 1, 204, delivery.at(), null), delivery);
        List<LoggedRequest> received = caller.findAll(anyRequestedFor(urlPathEqualTo("/caller/status")));
        assertEquals(1, received.size(), "one completed event; not ringing, not the redelivery");
        LoggedRequest request = received.get(0);
        assertEquals("POST", request.getMethod().value());
        assertEquals("/caller/status?tenant=7", request.getUrl());
        Map<String, List<String>> fields = Form.parse(request.getBody()).fields();
        assertEquals(completed, fields, "every field, as Twilio sent it");
        String signature = request.getHeader(TwilioSignature.HEADER);
        assertTrue(new RequestValidator(TestAccounts.AUTH_TOKEN).validate(url, single(fields), signature),
                "Twilio's own validator accepts it for the caller's URL");
        assertTrue(!new RequestValidator(TestAccounts.AUTH_TOKEN).validate(
                "https://voicegate.example.test/twilio/callbacks/status", single(fields), signature));
    }

    @Test
    void theCallersMethodIsUsedGetSignsTheFullUrl() {
        String url = base() + "/caller/get";
        String callSid = placed(ledger, new CallAttempt.Relay(url, "GET", null));
        post(STATUS, Callbacks.status(callSid, "busy", 2)).then().statusCode(200);

        assertEquals("delivered", awaitDelivery(callSid).outcome());
        LoggedRequest request = caller.findAll(anyRequestedFor(urlPathEqualTo("/caller/get"))).get(0);
        assertEquals("GET", request.getMethod().value());
        assertEquals("busy", request.queryParameter("CallStatus").firstValue());
        assertEquals(callSid, request.queryParameter("CallSid").firstValue());
        assertTrue(new RequestValidator(TestAccounts.AUTH_TOKEN).validate(base() + request.getUrl(), Map.of(),
                request.getHeader(TwilioSignature.HEADER)));
    }

    @Test
    void aServerErrorIsRetriedUntilItIsDelivered() {
        caller.stubFor(any(urlPathEqualTo("/caller/flaky")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        caller.stubFor(any(urlPathEqualTo("/caller/flaky")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        String callSid = placed(ledger, new CallAttempt.Relay(base() + "/caller/flaky", "POST", null));
        post(STATUS, Callbacks.status(callSid, "completed", 3)).then().statusCode(200);

        Delivery delivery = awaitDelivery(callSid);
        assertEquals("delivered", delivery.outcome());
        assertEquals(2, delivery.attempts());
        assertEquals(200, delivery.httpStatus());
        assertEquals(2, caller.findAll(anyRequestedFor(urlPathEqualTo("/caller/flaky"))).size());
    }

    @Test
    void aClientErrorOrARedirectIsNotRetriedNorFollowed() {
        caller.stubFor(any(urlPathEqualTo("/caller/moved")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", base() + "/caller/elsewhere")));
        String callSid = placed(ledger, new CallAttempt.Relay(base() + "/caller/moved", "POST", null));
        post(STATUS, Callbacks.status(callSid, "completed", 3)).then().statusCode(200);

        Delivery delivery = awaitDelivery(callSid);
        assertEquals("failed", delivery.outcome());
        assertEquals(302, delivery.httpStatus());
        assertEquals(1, delivery.attempts());
        assertEquals(0, caller.findAll(anyRequestedFor(urlPathEqualTo("/caller/elsewhere"))).size());
    }

    @Test
    void aTargetInsideTheNetworkIsRefusedAndNothingIsSent() {
        String callSid = placed(ledger, new CallAttempt.Relay("http://169.254.169.254/latest/meta-data/", "POST", null));
        post(STATUS, Callbacks.status(callSid, "completed", 3)).then().statusCode(200);

        Delivery delivery = awaitDelivery(callSid);
        assertEquals("refused", delivery.outcome());
        assertEquals(0, delivery.attempts());
        assertEquals("points to a link-local address: relay targets must be public", delivery.detail());
    }

    @Test
    void theRecordingsCompletedEventIsRelayedByPost() {
        String url = base() + "/caller/recording";
        String callSid = placed(ledger, new CallAttempt.Relay(null, null, url));
        String recordingSid = Callbacks.sid("RE");
        Map<String, List<String>> fields = Callbacks.recording(callSid, recordingSid, "completed");
        post(RECORDING, fields).then().statusCode(200);

        Delivery delivery = awaitDelivery(callSid);
        assertEquals("recording_status_callback", delivery.target());
        assertEquals("delivered", delivery.outcome());
        LoggedRequest request = caller.findAll(anyRequestedFor(urlPathEqualTo("/caller/recording"))).get(0);
        assertEquals("POST", request.getMethod().value());
        assertEquals(fields, Form.parse(request.getBody()).fields());
        assertTrue(new RequestValidator(TestAccounts.AUTH_TOKEN).validate(url,
                single(Form.parse(request.getBody()).fields()), request.getHeader(TwilioSignature.HEADER)));
        // A status event of the same call is not relayed: the caller asked for recordings only.
        post(STATUS, Callbacks.status(callSid, "completed", 3)).then().statusCode(200);
        await().until(() -> ledger.find(callSid).await().indefinitely().orElseThrow().events().size() == 1);
        assertEquals(1, ledger.find(callSid).await().indefinitely().orElseThrow().deliveries().size());
    }

    private String base() {
        return WireMockTwilio.baseUrl(caller);
    }

    private Delivery awaitDelivery(String callSid) {
        return await().until(() -> ledger.find(callSid).await().indefinitely().orElseThrow().deliveries(),
                deliveries -> !deliveries.isEmpty()).get(0);
    }

    private static Map<String, String> single(Map<String, List<String>> fields) {
        Map<String, String> single = new HashMap<>();
        fields.forEach((name, values) -> single.put(name, values.get(0)));
        return single;
    }
}
