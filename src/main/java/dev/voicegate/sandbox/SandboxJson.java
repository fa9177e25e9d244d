package dev.voicegate.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders sandbox state as Twilio resources at a given instant. Uris are relative to the API host, as
 * Twilio's are; only {@code media_url} is absolute.
 */
final class SandboxJson {

    static final String API_VERSION = "2010-04-01";
    static final String CALL_PRICE = "-0.01300";
    static final String RECORDING_PRICE = "-0.0025";
    static final String TRANSCRIPTION_PRICE = "-0.05000";
    static final String TRANSCRIPTION_TEXT = "Hello from the Voicegate sandbox.";

    /** RFC 2822 in UTC, e.g. {@code Tue, 31 Aug 2010 20:36:28 +0000}. */
    static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final Pattern NANP = Pattern.compile("\\+1(\\d{3})(\\d{3})(\\d{4})");

    private SandboxJson() {
    }

    static String accountPath(String accountSid) {
        return "/" + API_VERSION + "/Accounts/" + accountSid;
    }

    static SandboxWire.Call call(SandboxCall c, String accountSid, Instant now) {
        String callPath = accountPath(accountSid) + "/Calls/" + c.sid();
        boolean completed = c.isCompleted(now);
        SandboxCall.Status status = c.statusAt(now);
        return new SandboxWire.Call(c.sid(), date(c.created()), date(c.lastUpdate(now)), null, accountSid,
                c.to(), formatted(c.to()), c.from(), formatted(c.from()), null, status.wire,
                c.startTime(now).map(SandboxJson::date).orElse(null),
                c.endTime(now).map(SandboxJson::date).orElse(null),
                completed ? String.valueOf(c.durationSeconds()) : null,
                completed ? CALL_PRICE : null, "USD", "outbound-api",
                c.answeredBy(now), API_VERSION, null, null, null,
                String.valueOf(c.queueMillis(now)), null,
                callPath + ".json",
                new SandboxWire.CallSubresources(callPath + "/Notifications.json", callPath + "/Recordings.json",
                        callPath + "/Payments.json", callPath + "/Events.json", callPath + "/Siprec.json",
                        callPath + "/Streams.json", callPath + "/Transcriptions.json",
                        callPath + "/UserDefinedMessageSubscriptions.json", callPath + "/UserDefinedMessages.json"));
    }

    /**
     * @param host the request's {@code Host} header: the media lives on whatever host the client reached us on
     */
    static SandboxWire.Recording recording(SandboxCall c, String accountSid, String host) {
        String path = accountPath(accountSid) + "/Recordings/" + c.recordingSid();
        return new SandboxWire.Recording(accountSid, API_VERSION, c.sid(), null, date(c.ended()), date(c.ended()),
                date(c.answered()), duration(c), c.recordingSid(), RECORDING_PRICE, "USD", "completed", 1,
                "OutboundAPI", null, path + ".json", null,
                new SandboxWire.RecordingSubresources(path + "/AddOnResults.json", path + "/Transcriptions.json"),
                mediaUrl(accountSid, host, c.recordingSid()));
    }

    /** The recording's audio on the sandbox, as Twilio's {@code media_url} and callbacks' {@code RecordingUrl}. */
    static String mediaUrl(String accountSid, String host, String recordingSid) {
        return "http://" + host + "/sandbox" + accountPath(accountSid) + "/Recordings/" + recordingSid;
    }

    static SandboxWire.CallRecording callRecording(SandboxCall c, String accountSid) {
        return new SandboxWire.CallRecording(accountSid, API_VERSION, c.sid(), null, date(c.ended()),
                date(c.ended()), date(c.answered()), duration(c), c.recordingSid(), RECORDING_PRICE, "USD",
                "completed", 1, "OutboundAPI", null, "both",
                accountPath(accountSid) + "/Calls/" + c.sid() + "/Recordings/" + c.recordingSid() + ".json", null);
    }

    /** Transcriptions still carry the API version they were introduced in, as Twilio's do. */
    static SandboxWire.Transcription transcription(SandboxCall c, String accountSid) {
        return new SandboxWire.Transcription(accountSid, "2008-08-01", date(c.ended()), date(c.ended()), duration(c),
                TRANSCRIPTION_PRICE, "USD", c.recordingSid(), c.transcriptionSid(), "completed", TRANSCRIPTION_TEXT,
                "fast", accountPath(accountSid) + "/Transcriptions/" + c.transcriptionSid() + ".json");
    }

    static SandboxWire.Error error(SandboxError e) {
        return new SandboxWire.Error(e.code, e.getMessage(), "https://www.twilio.com/docs/errors/" + e.code, e.status);
    }

    static String date(Instant instant) {
        return RFC_2822.format(instant);
    }

    private static String duration(SandboxCall c) {
        return String.valueOf(c.durationSeconds());
    }

    /** North American numbers the way Twilio formats them, {@code (415) 867-5309}; anything else unchanged. */
    static String formatted(String number) {
        Matcher m = NANP.matcher(number);
        return m.matches() ? "(" + m.group(1) + ") " + m.group(2) + "-" + m.group(3) : number;
    }
}
