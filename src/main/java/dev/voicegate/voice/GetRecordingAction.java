package dev.voicegate.voice;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.TwilioRecording;
import dev.voicegate.twilio.TwilioTranscription;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/** get_recording: a recording's metadata and media URL, and its most recent transcription, fetched together. */
// Catalog order: higher first (ActionDispatcher).
@Priority(20)
@ApplicationScoped
public class GetRecordingAction implements Action<GetRecordingInput, GetRecordingOutput> {

    private final TwilioClient twilio;
    private final String twilioBaseUrl;

    GetRecordingAction(TwilioClient twilio, @ConfigProperty(name = "quarkus.rest-client.twilio.url") String twilioBaseUrl) {
        this.twilio = twilio;
        this.twilioBaseUrl = twilioBaseUrl.endsWith("/") ? twilioBaseUrl.substring(0, twilioBaseUrl.length() - 1) : twilioBaseUrl;
    }

    /** The latest transcription, or why it is unknown. */
    private record Transcript(TwilioTranscription latest, Throwable failure) {
    }

    @Override
    public String name() {
        return "get_recording";
    }

    @Override
    public String description() {
        return "Fetch one recording by its SID (RE followed by 32 hex digits; list_calls and get_call give each call's "
                + "recording_sids): duration, status, channels, price, Twilio's media URL (which needs Twilio "
                + "credentials) and the text of its most recent transcription, if any. Download the audio itself "
                + "through Voicegate, with the same access as this call, from "
                + "GET /v1/accounts/{account_sid}/recordings/{recording_sid}/media?format=wav|mp3.";
    }

    @Override
    public String title() {
        return "Get a recording";
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public Class<GetRecordingInput> inputType() {
        return GetRecordingInput.class;
    }

    @Override
    public GetRecordingOutput failure(String error) {
        return GetRecordingOutput.failure(error);
    }

    @Override
    public Uni<ActionResult<GetRecordingOutput>> run(GetRecordingInput input, ActionContext context) {
        TwilioCredentials credentials = context.credentials();
        // The recording is subscribed first: when the limiter refuses it at the door, the transcriptions (a
        // follow-up, which is never refused) are never sent.
        Uni<TwilioRecording> recording = twilio.fetchRecording(credentials, input.recordingSid(), Turn.FIRST);
        Uni<Transcript> transcript = twilio.listTranscriptions(credentials, input.recordingSid(), Turn.FOLLOW_UP)
                .map(page -> new Transcript(latest(page.transcriptionsOrEmpty()), null))
                .onFailure().recoverWithItem(failure -> isNotFound(failure)
                        ? new Transcript(null, null)
                        : new Transcript(null, failure));
        return Uni.combine().all().unis(recording, transcript).asTuple()
                .map(both -> ActionResult.ok(output(input, both.getItem1(), both.getItem2())))
                .onFailure().recoverWithItem(failure -> {
                    ActionFailure reason = Failures.of(failure, "the recording", false);
                    return ActionResult.failed(GetRecordingOutput.failure(reason.error()), reason);
                });
    }

    private GetRecordingOutput output(GetRecordingInput input, TwilioRecording recording, Transcript transcript) {
        TwilioTranscription latest = transcript.latest();
        String error = transcript.failure() == null ? null
                : ErrorCategory.PARTIAL.wire() + ": the transcription could not be fetched ("
                        + Failures.of(transcript.failure(), "the transcription", false).error()
                        + "); transcription fields are unknown, not empty. Retrying may help.";
        return new GetRecordingOutput(true, error,
                recording.sid(), recording.callSid(), WireValues.seconds(recording.duration()), recording.status(),
                recording.channels(), recording.source(), mediaUrl(input, recording), recording.price(),
                recording.priceUnit(), recording.uri(),
                latest == null ? null : latest.transcriptionText(),
                latest == null ? null : latest.status(),
                latest == null ? null : latest.price(),
                latest == null ? null : latest.priceUnit());
    }

    /** Twilio's absolute media URL when it gave one; otherwise the documented one (no extension: WAV). */
    private String mediaUrl(GetRecordingInput input, TwilioRecording recording) {
        String given = recording.mediaUrl();
        if (given != null && (given.startsWith("https://") || given.startsWith("http://"))) {
            return given;
        }
        return twilioBaseUrl + "/2010-04-01/Accounts/" + input.accountSid() + "/Recordings/" + input.recordingSid();
    }

    /** The most recent of a recording's transcriptions (by creation), or null; also for the console's call page. */
    public static TwilioTranscription latest(List<TwilioTranscription> transcriptions) {
        Comparator<TwilioTranscription> byCreation = Comparator.comparing(
                (TwilioTranscription t) -> Optional.ofNullable(WireValues.instant(t.dateCreated())).orElse(OffsetDateTime.MIN));
        TwilioTranscription latest = null;
        for (TwilioTranscription t : transcriptions) {
            // ">=" keeps the later of two with the same timestamp.
            if (latest == null || byCreation.compare(t, latest) >= 0) {
                latest = t;
            }
        }
        return latest;
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof TwilioException.Rejected rejected && rejected.httpStatus() == 404;
    }
}
