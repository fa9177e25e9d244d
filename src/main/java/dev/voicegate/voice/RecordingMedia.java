package dev.voicegate.voice;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.media.MediaDownload;
import dev.voicegate.twilio.media.MediaRequest;
import dev.voicegate.twilio.media.TwilioMediaClient;
import io.smallrye.mutiny.Uni;

/**
 * A recording's audio for the media endpoint: opens the download from Twilio for a validated input, and says every
 * failure before the first byte as the actions do ({@link Failures}), so the endpoint answers with the same envelope.
 */
@ApplicationScoped
public class RecordingMedia {

    private final TwilioMediaClient twilio;

    RecordingMedia(TwilioMediaClient twilio) {
        this.twilio = twilio;
    }

    /** The download, its headers in; fails with an {@link ActionException} carrying category and status. */
    public Uni<MediaDownload> open(RecordingMediaInput input, TwilioCredentials credentials) {
        MediaRequest request = new MediaRequest(input.recordingSid(), input.formatOrDefault(), input.channels(),
                input.range() == null ? null : input.range().trim());
        return twilio.open(credentials, request).onFailure().transform(failure -> new ActionException(failure(failure)));
    }

    static ActionFailure failure(Throwable failure) {
        if (failure instanceof TwilioException.Rejected rejected && rejected.httpStatus() == 416) {
            return new ActionFailure(ErrorCategory.INVALID_REQUEST, "the Range starts beyond the end of the "
                    + "recording's audio. Retrying as is will not help.", 416, null);
        }
        return Failures.of(failure, "the recording", false);
    }
}
