package dev.voicegate.callback;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.testing.CallbacksOn;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.twilio.TwilioSignature;
import io.restassured.response.Response;

/** Callbacks as Twilio sends them, signed for the configured public URL, and the ledger entries they are for. */
final class Callbacks {

    static final String STATUS = "/twilio/callbacks/status";
    static final String RECORDING = "/twilio/callbacks/recording";
    static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

    private Callbacks() {
    }

    static String sid(String prefix) {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /** A call in the ledger, placed by the test account, with these of the caller's callbacks to relay (or none). */
    static String placed(Ledger ledger, CallAttempt.Relay relay) {
        String callSid = sid("CA");
        String id = UUID.randomUUID().toString();
        ledger.attempted(new CallAttempt(id, TestAccounts.ACCOUNT_SID, "service", "rest", "+14155551234",
                "+15005550006", "https://example.com/twiml", null, null, "req-" + id, null, Instant.now(), true, relay));
        ledger.outcome(id, callSid, "placed");
        return callSid;
    }

    /** A call-progress callback's fields, as Twilio posts them. */
    static Map<String, List<String>> status(String callSid, String status, int sequence) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("AccountSid", List.of(TestAccounts.ACCOUNT_SID));
        fields.put("ApiVersion", List.of("2010-04-01"));
        fields.put("CallSid", List.of(callSid));
        fields.put("CallStatus", List.of(status));
        fields.put("CallbackSource", List.of("call-progress-events"));
        fields.put("Called", List.of("+14155551234"));
        fields.put("Direction", List.of("outbound-api"));
        fields.put("From", List.of("+15005550006"));
        fields.put("SequenceNumber", List.of(Integer.toString(sequence)));
        fields.put("Timestamp", List.of("Tue, 14 Jan 2025 10:00:0" + sequence + " +0000"));
        fields.put("To", List.of("+14155551234"));
        if ("completed".equals(status)) {
            fields.put("CallDuration", List.of("12"));
            fields.put("Duration", List.of("1"));
            fields.put("SipResponseCode", List.of("200"));
        }
        return fields;
    }

    /** A recording callback's fields. */
    static Map<String, List<String>> recording(String callSid, String recordingSid, String status) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("AccountSid", List.of(TestAccounts.ACCOUNT_SID));
        fields.put("CallSid", List.of(callSid));
        fields.put("ErrorCode", List.of("0"));
        fields.put("RecordingChannels", List.of("1"));
        fields.put("RecordingDuration", List.of("11"));
        fields.put("RecordingSid", List.of(recordingSid));
        fields.put("RecordingSource", List.of("OutboundAPI"));
        fields.put("RecordingStartTime", List.of("Tue, 14 Jan 2025 10:00:02 +0000"));
        fields.put("RecordingStatus", List.of(status));
        fields.put("RecordingTrack", List.of("both"));
        fields.put("RecordingUrl", List.of("https://api.twilio.com/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID
                + "/Recordings/" + recordingSid));
        return fields;
    }

    /** Posts the fields to the path, signed as Twilio signs: the public URL, no port, the test account's token. */
    static Response post(String path, Map<String, List<String>> fields) {
        return post(path, fields, TwilioSignature.sign(TestAccounts.AUTH_TOKEN, CallbacksOn.PUBLIC_URL + path, fields));
    }

    static Response post(String path, Map<String, List<String>> fields, String signature) {
        var request = given().contentType(FORM).body(new Form(fields).encoded());
        if (signature != null) {
            request.header(TwilioSignature.HEADER, signature);
        }
        return request.post(path);
    }

    /** The value of {@code voicegate_callbacks_total{event,outcome}}; 0 before its first count. */
    static double counted(String event, String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^voicegate_callbacks_total\\{event=\"" + Pattern.quote(event)
                + "\",outcome=\"" + outcome + "\",?\\} ([0-9.E+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
