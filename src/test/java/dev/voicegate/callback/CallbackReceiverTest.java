package dev.voicegate.callback;

import static dev.voicegate.callback.Callbacks.RECORDING;
import static dev.voicegate.callback.Callbacks.STATUS;
import static dev.voicegate.callback.Callbacks.counted;
import static dev.voicegate.callback.Callbacks.placed;
import static dev.voicegate.callback.Callbacks.post;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.StatusEvent;
import dev.voicegate.testing.CallbacksOn;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.TwilioSignature;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The callback receiver: only callbacks signed for the public URL with the account's Auth Token change the ledger;
 * everything else is refused with no detail and counted. Redeliveries and late events never undo a final status.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(CallbacksOn.class)
class CallbackReceiverTest {

    @Inject
    Ledger ledger;

    @Test
    void aSignedCallbackIsAnsweredAtOnceAndGoesIntoTheTimeline() {
        String callSid = placed(ledger, null);
        double before = counted("ringing", "accepted");
        post(STATUS, Callbacks.status(callSid, "ringing", 1)).then().statusCode(200)
                .contentType("text/xml").body(org.hamcrest.Matchers.containsString("<Response/>"));
        LedgerEntry entry = awaitEvents(callSid, 1);
        StatusEvent event = entry.events().get(0);
        assertEquals("ringing", event.status());
        assertEquals(Instant.parse("2025-01-14T10:00:01Z"), event.at(), "Twilio's RFC 2822 Timestamp");
        assertEquals(1, event.sequence());
        assertEquals(StatusEvent.Source.CALLBACK, event.source());
        await().until(() -> counted("ringing", "accepted") == before + 1);
    }

    @Test
    void theAccountsWebhookTokenSignsForAnAccountThatUsesAnApiKey() {
        Map<String, List<String>> fields = Callbacks.status(Callbacks.sid("CA"), "initiated", 0);
        fields.put("AccountSid", List.of(CallbacksOn.KEYED_ACCOUNT_SID));
        post(STATUS, fields, TwilioSignature.sign(CallbacksOn.KEYED_WEBHOOK_TOKEN, CallbacksOn.PUBLIC_URL + STATUS,
                fields)).then().statusCode(200);
        post(STATUS, fields, TwilioSignature.sign("SK33333333444444445555555566666666", CallbacksOn.PUBLIC_URL + STATUS,
                fields)).then().statusCode(403);
    }

    @Test
    void anotherAccountsTokenNeverChangesThisAccountsCall() {
        String callSid = placed(ledger, null);
        double unknown = counted("ringing", "unknown_call");
        Map<String, List<String>> fields = Callbacks.status(callSid, "ringing", 1);
        fields.put("AccountSid", List.of(CallbacksOn.KEYED_ACCOUNT_SID));
        post(STATUS, fields, TwilioSignature.sign(CallbacksOn.KEYED_WEBHOOK_TOKEN, CallbacksOn.PUBLIC_URL + STATUS,
                fields)).then().statusCode(200);
        await().until(() -> counted("ringing", "unknown_call") == unknown + 1);
        assertEquals(List.of(), ledger.find(callSid).await().indefinitely().orElseThrow().events());
    }

    @Test
    void badSignaturesAreRefusedAndChangeNothing() {
        String callSid = placed(ledger, null);
        Map<String, List<String>> fields = Callbacks.status(callSid, "ringing", 1);
        String signature = TwilioSignature.sign(TestAccounts.AUTH_TOKEN, CallbacksOn.PUBLIC_URL + STATUS, fields);
        double before = counted("other", "rejected") + counted("ringing", "rejected") + counted("completed", "rejected");

        post(STATUS, fields, null).then().statusCode(403).body(org.hamcrest.Matchers.emptyString());
        post(STATUS, fields, "not-a-signature").then().statusCode(403).body(org.hamcrest.Matchers.emptyString());
        post(STATUS, fields, TwilioSignature.sign("another-token", CallbacksOn.PUBLIC_URL + STATUS, fields))
                .then().statusCode(403);
        Map<String, List<String>> changed = new LinkedHashMap<>(fields);
        changed.put("CallStatus", List.of("completed"));
        post(STATUS, changed, signature).then().statusCode(403);
        Map<String, List<String>> added = new LinkedHashMap<>(fields);
        added.put("Extra", List.of("field"));
        post(STATUS, added, signature).then().statusCode(403);
        // Signed for the Host the request came to, or another path: not the URL Twilio was given.
        post(STATUS, fields, TwilioSignature.sign(TestAccounts.AUTH_TOKEN, "http://localhost" + STATUS, fields))
                .then().statusCode(403);
        post(STATUS, fields, TwilioSignature.sign(TestAccounts.AUTH_TOKEN, CallbacksOn.PUBLIC_URL + RECORDING, fields))
                .then().statusCode(403);
        given().contentType(Callbacks.FORM).header("X-Forwarded-Host", "evil.example").header("Host", "evil.example")
                .header(TwilioSignature.HEADER, TwilioSignature.sign(TestAccounts.AUTH_TOKEN,
                        "https://evil.example" + STATUS, fields))
                .body(new Form(fields).encoded()).post(STATUS).then().statusCode(403);

        assertEquals(List.of(), ledger.find(callSid).await().indefinitely().orElseThrow().events());
        await().until(() -> counted("other", "rejected") + counted("ringing", "rejected")
                + counted("completed", "rejected") == before + 8);
    }

    @Test
    void theUrlIsAcceptedWithAndWithoutItsDefaultPortAndWithItsQuery() {
        String callSid = placed(ledger, null);
        Map<String, List<String>> fields = Callbacks.status(callSid, "initiated", 0);
        post(STATUS, fields, TwilioSignature.sign(TestAccounts.AUTH_TOKEN,
                "https://voicegate.example.test:443" + STATUS, fields)).then().statusCode(200);
        post(STATUS, fields, TwilioSignature.sign(TestAccounts.AUTH_TOKEN,
                "https://voicegate.example.test:8443" + STATUS, fields)).then().statusCode(403);
        post(STATUS, fields, TwilioSignature.sign(TestAccounts.AUTH_TOKEN,
                "http://voicegate.example.test" + STATUS, fields)).then().statusCode(403);

        Map<String, List<String>> ringing = Callbacks.status(callSid, "ringing", 1);
        String withQuery = STATUS + "?tenant=a%20b";
        given().contentType(Callbacks.FORM).header(TwilioSignature.HEADER, TwilioSignature.sign(TestAccounts.AUTH_TOKEN,
                CallbacksOn.PUBLIC_URL + withQuery, ringing)).body(new Form(ringing).encoded())
                .urlEncodingEnabled(false).post(withQuery).then().statusCode(200);
        given().contentType(Callbacks.FORM).header(TwilioSignature.HEADER, TwilioSignature.sign(TestAccounts.AUTH_TOKEN,
                CallbacksOn.PUBLIC_URL + STATUS, ringing)).body(new Form(ringing).encoded())
                .urlEncodingEnabled(false).post(withQuery).then().statusCode(403);
        awaitEvents(callSid, 2);
    }

    @Test
    void everyValueOfARepeatedFieldCounts() {
        Map<String, List<String>> fields = Callbacks.status(placed(ledger, null), "initiated", 0);
        fields.put("Extra", List.of("one", "two"));
        post(STATUS, fields).then().statusCode(200);
        Map<String, List<String>> first = new LinkedHashMap<>(fields);
        first.put("Extra", List.of("one"));
        post(STATUS, fields, TwilioSignature.sign(TestAccounts.AUTH_TOKEN, CallbacksOn.PUBLIC_URL + STATUS, first))
                .then().statusCode(403);
    }

    @Test
    void anUnknownAccountIsRefused() {
        Map<String, List<String>> fields = Callbacks.status(placed(ledger, null), "ringing", 1);
        fields.put("AccountSid", List.of(TestAccounts.OTHER_ACCOUNT_SID));
        post(STATUS, fields, TwilioSignature.sign("any-token", CallbacksOn.PUBLIC_URL + STATUS, fields))
                .then().statusCode(403);
        fields.put("AccountSid", List.of(TestAccounts.PASS_THROUGH_ACCOUNT_SID));
        post(STATUS, fields, TwilioSignature.sign(TestAccounts.PASS_THROUGH_AUTH_TOKEN, CallbacksOn.PUBLIC_URL + STATUS,
                fields)).then().statusCode(403);
        fields.remove("AccountSid");
        post(STATUS, fields).then().statusCode(403);
    }

    @Test
    void onlyFormBodiesWithinTheLimitAreRead() {
        String callSid = placed(ledger, null);
        Map<String, List<String>> fields = Callbacks.status(callSid, "ringing", 1);
        String signature = TwilioSignature.sign(TestAccounts.AUTH_TOKEN, CallbacksOn.PUBLIC_URL + STATUS, fields);
        given().contentType("application/json").header(TwilioSignature.HEADER, signature)
                .body(new Form(fields).encoded()).post(STATUS).then().statusCode(415).body(org.hamcrest.Matchers.emptyString());
        given().contentType("text/plain").header(TwilioSignature.HEADER, signature).post(STATUS).then().statusCode(415);
        given().contentType(Callbacks.FORM).header(TwilioSignature.HEADER, signature).post(STATUS).then().statusCode(403);

        Map<String, List<String>> large = new LinkedHashMap<>(fields);
        large.put("Padding", List.of("x".repeat(CallbacksOn.MAX_BODY_BYTES)));
        post(STATUS, large).then().statusCode(413).body(org.hamcrest.Matchers.emptyString());
        assertEquals(List.of(), ledger.find(callSid).await().indefinitely().orElseThrow().events());
    }

    @Test
    void redeliveriesAreCountedOnce() {
        String callSid = placed(ledger, null);
        double duplicates = counted("ringing", "duplicate");
        post(STATUS, Callbacks.status(callSid, "ringing", 1)).then().statusCode(200);
        post(STATUS, Callbacks.status(callSid, "ringing", 1)).then().statusCode(200);

        Map<String, List<String>> answered = Callbacks.status(callSid, "in-progress", 2);
        answered.remove("SequenceNumber");
        String signature = TwilioSignature.sign(TestAccounts.AUTH_TOKEN, CallbacksOn.PUBLIC_URL + STATUS, answered);
        for (int i = 0; i < 2; i++) {
            given().contentType(Callbacks.FORM).header(TwilioSignature.HEADER, signature)
                    .header("I-Twilio-Idempotency-Token", "idem-token-1").body(new Form(answered).encoded())
                    .post(STATUS).then().statusCode(200);
        }
        await().until(() -> counted("ringing", "duplicate") == duplicates + 1
                && counted("in-progress", "duplicate") >= 1);
        LedgerEntry entry = awaitEvents(callSid, 2);
        assertEquals(List.of("ringing", "in-progress"), entry.events().stream().map(StatusEvent::status).toList());
        assertEquals("idem-token-1", entry.events().get(1).token());
    }

    @Test
    void aLateEventNeverReplacesAFinalStatus() {
        String callSid = placed(ledger, null);
        double late = counted("ringing", "out_of_order");
        post(STATUS, Callbacks.status(callSid, "completed", 3)).then().statusCode(200);
        awaitEvents(callSid, 1);
        post(STATUS, Callbacks.status(callSid, "ringing", 1)).then().statusCode(200);
        LedgerEntry entry = awaitEvents(callSid, 2);
        assertEquals("completed", entry.status());
        await().until(() -> counted("ringing", "out_of_order") == late + 1);
    }

    @Test
    void aCallbackForACallNotInTheLedgerIsAnsweredAndCounted() {
        double unknown = counted("completed", "unknown_call");
        post(STATUS, Callbacks.status(Callbacks.sid("CA"), "completed", 3)).then().statusCode(200);
        await().until(() -> counted("completed", "unknown_call") == unknown + 1);
        double recordings = counted("recording-completed", "unknown_call");
        post(RECORDING, Callbacks.recording(Callbacks.sid("CA"), Callbacks.sid("RE"), "completed")).then().statusCode(200);
        await().until(() -> counted("recording-completed", "unknown_call") == recordings + 1);
    }

    @Test
    void anUnknownStatusIsCountedAsOther() {
        double other = counted("other", "accepted");
        post(STATUS, Callbacks.status(placed(ledger, null), "made-up-status", 5)).then().statusCode(200);
        await().until(() -> counted("other", "accepted") == other + 1);
    }

    @Test
    void aCompletedRecordingJoinsTheCallsDetails() {
        String callSid = placed(ledger, null);
        String first = Callbacks.sid("RE");
        String second = Callbacks.sid("RE");
        post(RECORDING, Callbacks.recording(callSid, first, "completed")).then().statusCode(200);
        await().until(() -> recordingSids(callSid).equals(List.of(first)));
        post(RECORDING, Callbacks.recording(callSid, first, "completed")).then().statusCode(200);
        post(RECORDING, Callbacks.recording(callSid, second, "completed")).then().statusCode(200);
        await().until(() -> recordingSids(callSid).equals(List.of(first, second)));
        await().until(() -> counted("recording-completed", "duplicate") >= 1);
    }

    @Test
    void theFinalCallbacksDurationJoinsTheDetailsAndARecordingKeepsIt() {
        String callSid = placed(ledger, null);
        Map<String, List<String>> completed = new LinkedHashMap<>(Callbacks.status(callSid, "completed", 3));
        completed.put("CallDuration", List.of("42"));
        post(STATUS, completed).then().statusCode(200);
        await().until(() -> details(callSid) != null && "42".equals(details(callSid).duration()));
        String recording = Callbacks.sid("RE");
        post(RECORDING, Callbacks.recording(callSid, recording, "completed")).then().statusCode(200);
        await().until(() -> recordingSids(callSid).equals(List.of(recording)));
        assertEquals("42", details(callSid).duration());

        String other = placed(ledger, null);
        Map<String, List<String>> odd = new LinkedHashMap<>(Callbacks.status(other, "completed", 3));
        odd.put("CallDuration", List.of("42<script>"));
        post(STATUS, odd).then().statusCode(200);
        awaitEvents(other, 1);
        String later = Callbacks.sid("RE");
        post(RECORDING, Callbacks.recording(other, later, "completed")).then().statusCode(200);
        await().until(() -> recordingSids(other).equals(List.of(later)));
        assertEquals(null, details(other).duration(), "only digits are taken");
    }

    private dev.voicegate.ledger.CallDetails details(String callSid) {
        return ledger.find(callSid).await().indefinitely().orElseThrow().details();
    }

    private List<String> recordingSids(String callSid) {
        LedgerEntry entry = ledger.find(callSid).await().indefinitely().orElseThrow();
        return entry.details() == null ? List.of() : entry.details().recordingSids();
    }

    private LedgerEntry awaitEvents(String callSid, int count) {
        return await().until(() -> ledger.find(callSid).await().indefinitely().orElseThrow(),
                entry -> entry.events().size() == count);
    }

    @Test
    void metricsUseBoundedTags() {
        post(STATUS, Callbacks.status(placed(ledger, null), "ringing", 1)).then().statusCode(200);
        await().until(() -> counted("ringing", "accepted") >= 1);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.lines().filter(line -> line.startsWith("voicegate_callbacks_total{"))
                .noneMatch(line -> line.contains("CA") || line.contains("+1")), metrics);
    }
}
