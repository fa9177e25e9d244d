package dev.voicegate.twilio;

import java.util.List;

/**
 * The form parameters of {@code POST /Calls.json} that Voicegate sends; nulls are left out, and
 * {@code statusCallbackEvents} goes out as repeated {@code StatusCallbackEvent} keys.
 */
public record NewCall(
        String to,
        String from,
        String url,
        String twiml,
        String statusCallback,
        String statusCallbackMethod,
        List<String> statusCallbackEvents,
        Boolean record,
        String recordingStatusCallback,
        Integer timeout,
        String machineDetection) {

    /** Twilio's call-progress events, all of which Voicegate asks for when it follows calls on callbacks. */
    public static final List<String> ALL_EVENTS = List.of("initiated", "ringing", "answered", "completed");

    /** This call with Voicegate's own callbacks instead of the caller's (which Voicegate then relays). */
    public NewCall withCallbacks(String statusUrl, String recordingUrl) {
        return new NewCall(to, from, url, twiml, statusUrl, "POST", ALL_EVENTS, record,
                Boolean.TRUE.equals(record) ? recordingUrl : null, timeout, machineDetection);
    }
}
