package dev.voicegate.twilio;

/** The form parameters of {@code POST /Calls.json} that Voicegate sends; nulls are left out. */
public record NewCall(
        String to,
        String from,
        String url,
        String twiml,
        String statusCallback,
        String statusCallbackMethod,
        Boolean record,
        String recordingStatusCallback,
        Integer timeout,
        String machineDetection) {
}
