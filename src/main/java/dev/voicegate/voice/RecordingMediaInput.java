package dev.voicegate.voice;

import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.failure.ActionException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code GET /v1/accounts/{account_sid}/recordings/{recording_sid}/media} asks for: the SIDs (checked as
 * get_recording checks them), {@code format} {@code wav} (default) or {@code mp3}, {@code channels} 1 or 2 (absent:
 * Twilio's default), and the caller's {@code Range} header, of which one byte range is accepted.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RecordingMediaInput(String accountSid, String recordingSid, String format, Integer channels, String range)
        implements ActionInput {

    private static final Set<String> FORMATS = Set.of("wav", "mp3");
    /** {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix} (RFC 9110, one range). */
    private static final Pattern BYTE_RANGE = Pattern.compile("^bytes=(\\d{1,18}-\\d{0,18}|-\\d{1,18})$");

    @Override
    public void validate() {
        new GetRecordingInput(recordingSid, accountSid).validate();
        Rules.oneOf("format", format, FORMATS);
        Rules.between("channels", channels, 1, 2);
        if (range != null && !isByteRange(range.trim())) {
            throw ActionException.invalid("the Range header must be one byte range, e.g. 'bytes=0-1023', "
                    + "'bytes=1024-' or 'bytes=-1024'");
        }
    }

    private static boolean isByteRange(String value) {
        if (!BYTE_RANGE.matcher(value).matches()) {
            return false;
        }
        String[] bounds = value.substring("bytes=".length()).split("-", -1);
        return bounds[0].isEmpty() || bounds[1].isEmpty() || Long.parseLong(bounds[0]) <= Long.parseLong(bounds[1]);
    }

    /** The file extension Twilio serves this format under. */
    public String formatOrDefault() {
        return format == null ? "wav" : format;
    }
}
