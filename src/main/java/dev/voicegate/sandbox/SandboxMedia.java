package dev.voicegate.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * A sandbox recording's audio, as Twilio serves {@code /Recordings/{Sid}} (WAV), {@code .wav} and {@code .mp3}:
 * silence as long as the recording's {@code duration} ({@link SandboxWav}, {@link SandboxMp3}), one channel unless {@code RequestedChannels=2},
 * with {@code Accept-Ranges: bytes}. A single byte range gets 206 and {@code Content-Range}; a range that starts
 * past the end gets 416; any other {@code Range} is ignored, as HTTP allows.
 */
final class SandboxMedia {

    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d{0,18})-(\\d{0,18})$");

    private SandboxMedia() {
    }

    /**
     * Fails with a {@link SandboxError} for a {@code RequestedChannels} other than 1 or 2.
     *
     * @param seconds the recording's duration
     */
    static void serve(HttpServerResponse response, long seconds, String extension, String requestedChannels,
            String range) {
        if (requestedChannels != null && !requestedChannels.equals("1") && !requestedChannels.equals("2")) {
            throw SandboxError.invalidParameter("RequestedChannels must be 1 or 2");
        }
        boolean stereo = "2".equals(requestedChannels);
        boolean mp3 = "mp3".equals(extension);
        byte[] audio = mp3 ? SandboxMp3.of(seconds, stereo) : SandboxWav.of(seconds, stereo);
        response.putHeader(HttpHeaders.CONTENT_TYPE, mp3 ? "audio/mpeg" : "audio/x-wav")
                .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        Matcher bytes = range == null ? null : RANGE.matcher(range.trim());
        if (bytes == null || !bytes.matches() || (bytes.group(1).isEmpty() && bytes.group(2).isEmpty())
                || (!bytes.group(1).isEmpty() && !bytes.group(2).isEmpty()
                        && Long.parseLong(bytes.group(1)) > Long.parseLong(bytes.group(2)))) {
            response.setStatusCode(200).end(Buffer.buffer(audio));
            return;
        }
        int length = audio.length;
        long first;
        long last;
        if (bytes.group(1).isEmpty()) { // the last n bytes
            first = Math.max(0, length - Long.parseLong(bytes.group(2)));
            last = length - 1;
        } else {
            first = Long.parseLong(bytes.group(1));
            last = bytes.group(2).isEmpty() ? length - 1 : Math.min(length - 1, Long.parseLong(bytes.group(2)));
        }
        if (first >= length) {
            response.setStatusCode(416).putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + length).end();
            return;
        }
        response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + length)
                .end(Buffer.buffer(audio).slice((int) first, (int) last + 1));
    }
}
