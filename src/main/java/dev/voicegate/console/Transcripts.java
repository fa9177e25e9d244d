package dev.voicegate.console;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.TwilioTranscription;
import dev.voicegate.twilio.limit.Turn;
import dev.voicegate.voice.GetRecordingAction;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;

/**
 * The recordings of a call's page with their transcripts: the most recent transcription of each (as get_recording
 * reads it), fetched from Twilio with the server-side credentials of the call's account, for the first
 * {@link #MAX} recordings. A transcript that cannot be fetched is said so; the page shows all the same.
 */
@ApplicationScoped
class Transcripts {

    static final int MAX = 5;

    /** A recording and its transcript: {@code text} null when there is none, {@code note} says why. */
    @TemplateData
    public record Recording(String sid, String text, String note) {
    }

    private final TwilioClient twilio;

    Transcripts(TwilioClient twilio) {
        this.twilio = twilio;
    }

    Uni<List<Recording>> of(Caller caller, String accountSid, List<String> recordingSids) {
        if (recordingSids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        TwilioCredentials credentials;
        try {
            credentials = caller.credentialsFor(accountSid);
        } catch (ActionException e) {
            return Uni.createFrom().item(recordingSids.stream()
                    .map(sid -> new Recording(sid, null, "Voicegate holds no credentials for this account.")).toList());
        }
        List<Uni<Recording>> each = new ArrayList<>();
        for (String sid : recordingSids.subList(0, Math.min(MAX, recordingSids.size()))) {
            each.add(twilio.listTranscriptions(credentials, sid, Turn.FIRST)
                    .map(page -> recording(sid, GetRecordingAction.latest(page.transcriptionsOrEmpty())))
                    .onFailure().recoverWithItem(failure -> notFound(failure)
                            ? new Recording(sid, null, "No transcription.")
                            : new Recording(sid, null, "The transcription could not be fetched; reload later.")));
        }
        return Uni.join().all(each).andFailFast();
    }

    private static Recording recording(String sid, TwilioTranscription latest) {
        if (latest == null) {
            return new Recording(sid, null, "No transcription.");
        }
        if (latest.transcriptionText() == null || latest.transcriptionText().isBlank()) {
            return new Recording(sid, null, "The transcription is " + latest.status() + ", without text.");
        }
        return new Recording(sid, latest.transcriptionText(), null);
    }

    private static boolean notFound(Throwable failure) {
        return failure instanceof TwilioException.Rejected rejected && rejected.httpStatus() == 404;
    }
}
