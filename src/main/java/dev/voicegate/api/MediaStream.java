package dev.voicegate.api;

import java.util.function.Consumer;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.media.MediaDownload;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The body of a media response whose status and headers are decided: the download from Twilio, still to be piped
 * to the caller. Written by {@link MediaStreamWriter} once Quarkus REST commits the response.
 *
 * @param onEnd told how the transfer ended: {@code success}, {@code aborted} (the caller went away) or
 *              {@code upstream_unavailable} (Twilio's side failed after the first byte)
 */
@Schema(type = SchemaType.STRING, format = "binary", description = "The audio, as Twilio serves it")
record MediaStream(MediaDownload download, RoutingContext routing, Consumer<String> onEnd) {

    static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    /** Pipes the body with back-pressure; a failure after the first byte closes the connection. */
    void send() {
        HttpServerResponse response = routing.response();
        // Up to this much may wait to be sent before the download pauses: a window, so that on a busy machine
        // each pause and resume does not cost a round of scheduling. Bounded memory per download all the same.
        response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        // Vert.x wants the framing before the first write; Quarkus REST adds the other headers as that write starts.
        String length = download.header(HttpHeaders.CONTENT_LENGTH.toString());
        if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        // The caller went away, possibly while the download waits for it to read: cancel it.
        routing.addEndHandler(ended -> download.close());
        download.pipeTo(response).onComplete(piped -> {
            // The caller's hang-up may reach the pipe as the upstream's failure (the download is closed for it).
            String outcome = piped.succeeded() ? "success"
                    : piped.cause() instanceof MediaDownload.CallerGone || response.closed() ? "aborted"
                            : ErrorCategory.UPSTREAM_UNAVAILABLE.wire();
            if (piped.failed()) {
                // Never end a cut body normally: with Content-Length or chunked, the caller must see it broke.
                response.reset();
            }
            onEnd.accept(outcome);
        });
    }
}
