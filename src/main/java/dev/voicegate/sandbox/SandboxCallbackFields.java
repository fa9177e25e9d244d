package dev.voicegate.sandbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.voicegate.sandbox.SandboxCall.Status;
import dev.voicegate.sandbox.SandboxHooks.Event;

/** The form fields of the sandbox's callbacks, named as Twilio names them (TWILIO.md section 9). */
final class SandboxCallbackFields {

    private SandboxCallbackFields() {
    }

    /**
     * A call-progress event: {@code answered} is posted as {@code in-progress}, {@code completed} with the final
     * status, its duration and SIP code, and the recording when there is one.
     *
     * @param mediaUrl the recording's audio, or null when the call was not recorded
     */
    static Map<String, String> progress(SandboxCall c, String accountSid, Event event, Status status, Instant now,
            String mediaUrl) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("CallSid", c.sid());
        fields.put("AccountSid", accountSid);
        fields.put("From", c.from());
        fields.put("To", c.to());
        fields.put("CallStatus", switch (event) {
            case INITIATED, RINGING -> event.wire;
            case ANSWERED -> Status.IN_PROGRESS.wire;
            case COMPLETED -> status.wire;
        });
        fields.put("ApiVersion", SandboxJson.API_VERSION);
        fields.put("Direction", "outbound-api");
        if (event == Event.COMPLETED) {
            long seconds = status == Status.COMPLETED ? c.durationSeconds() : 0;
            fields.put("CallDuration", String.valueOf(seconds));
            fields.put("Duration", String.valueOf((seconds + 59) / 60));
            fields.put("SipResponseCode", switch (status) {
                case BUSY -> "486";
                case NO_ANSWER, CANCELED -> "487";
                default -> "200";
            });
            if (mediaUrl != null && c.hasRecording(now)) {
                fields.put("RecordingUrl", mediaUrl);
                fields.put("RecordingSid", c.recordingSid());
                fields.put("RecordingDuration", String.valueOf(c.durationSeconds()));
            }
        }
        return fields;
    }

    /** What events carry when {@code StatusCallbackEvent} was given: their source, order and time. */
    static void sequence(Map<String, String> fields, int sequenceNumber, Instant at) {
        fields.put("CallbackSource", "call-progress-events");
        fields.put("SequenceNumber", String.valueOf(sequenceNumber));
        fields.put("Timestamp", SandboxJson.date(at));
    }

    /** The recording's {@code completed} event. */
    static Map<String, String> recording(SandboxCall c, String accountSid, String mediaUrl) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("AccountSid", accountSid);
        fields.put("CallSid", c.sid());
        fields.put("RecordingSid", c.recordingSid());
        fields.put("RecordingUrl", mediaUrl);
        fields.put("RecordingStatus", "completed");
        fields.put("RecordingDuration", String.valueOf(c.durationSeconds()));
        fields.put("RecordingChannels", "1");
        fields.put("RecordingStartTime", SandboxJson.date(c.answered()));
        fields.put("RecordingSource", "OutboundAPI");
        fields.put("RecordingTrack", "both");
        fields.put("ErrorCode", "0");
        return fields;
    }
}
