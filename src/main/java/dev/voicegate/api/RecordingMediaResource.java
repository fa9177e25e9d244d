package dev.voicegate.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.observability.ActionMetrics;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.twilio.media.MediaDownload;
import dev.voicegate.voice.RecordingMedia;
import dev.voicegate.voice.RecordingMediaInput;
import dev.voicegate.voice.Surface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * A recording's audio, streamed from Twilio through the service, so that a caller needs no Twilio credentials.
 * Not an action (it answers bytes, not an envelope), but checked as one: access, then the dispatcher's parsing,
 * validation and credentials, before anything is sent; failures before the first byte are the envelope with its
 * status, and it is counted in the action metrics as {@code recording_media}.
 */
@Path("/v1/accounts/{account_sid}/recordings/{recording_sid}/media")
@Tag(name = "Accounts", description = "Calls and recordings of a Twilio account")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class RecordingMediaResource {

    static final String METRIC_NAME = "recording_media";
    private static final Set<String> QUERY_PARAMETERS = Set.of("format", "channels");
    /** Headers of Twilio's (or its storage's) answer that the caller gets as they are. */
    private static final List<String> PASSED_THROUGH = List.of(HttpHeaders.CONTENT_LENGTH, "Accept-Ranges",
            "Content-Range");

    private final AccessControl access;
    private final ActionDispatcher dispatcher;
    private final RecordingMedia media;
    private final ActionMetrics metrics;

    RecordingMediaResource(AccessControl access, ActionDispatcher dispatcher, RecordingMedia media,
            ActionMetrics metrics) {
        this.access = access;
        this.dispatcher = dispatcher;
        this.media = media;
        this.metrics = metrics;
    }

    @GET
    @Operation(operationId = "getRecordingMedia",
            summary = "A recording's audio (WAV or MP3), streamed from Twilio; Range requests get 206")
    @APIResponse(responseCode = "200", description = "The audio, as an attachment", content = {
            @Content(mediaType = "audio/x-wav", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "audio/mpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    @APIResponse(responseCode = "206", description = "The requested byte range, with Content-Range")
    public Uni<RestResponse<MediaStream>> get(@RestPath("account_sid") String accountSid,
            @RestPath("recording_sid") String recordingSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "One byte range, e.g. bytes=0-1023") @RestHeader("Range") String range,
            @Parameter(description = "wav (default) or mp3") @RestQuery String format,
            @Parameter(description = "1 (mixed down) or 2 (one channel per party); default: Twilio's") @RestQuery String channels,
            @Context UriInfo uri, @Context RoutingContext routing) {
        return open(accountSid, recordingSid, authorization, range, uri, routing, false);
    }

    @HEAD
    @Operation(operationId = "headRecordingMedia", summary = "The headers of the recording's audio: type, length, ranges")
    public Uni<RestResponse<MediaStream>> head(@RestPath("account_sid") String accountSid,
            @RestPath("recording_sid") String recordingSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader("Range") String range,
            @RestQuery String format,
            @RestQuery String channels,
            @Context UriInfo uri, @Context RoutingContext routing) {
        return open(accountSid, recordingSid, authorization, range, uri, routing, true);
    }

    private Uni<RestResponse<MediaStream>> open(String accountSid, String recordingSid, String authorization,
            String range, UriInfo uri, RoutingContext routing, boolean headOnly) {
        Caller caller = access.authenticate(authorization); // not counted, as for the actions
        long started = System.nanoTime();
        ActionDispatcher.Admitted<RecordingMediaInput> admitted;
        try {
            admitted = dispatcher.admit(parameters(accountSid, recordingSid, range, uri.getQueryParameters()),
                    RecordingMediaInput.class, caller, "get_recording"); // a key that may get a recording may hear it
        } catch (ActionException rejected) {
            record(rejected.failure().category().wire(), started);
            throw rejected;
        }
        RecordingMediaInput input = admitted.input();
        return media.open(input, admitted.credentials())
                .onFailure(ActionException.class).invoke(failure -> record(
                        ((ActionException) failure).failure().category().wire(), started))
                .map(download -> respond(input, download, routing, headOnly, started));
    }

    private RestResponse<MediaStream> respond(RecordingMediaInput input, MediaDownload download, RoutingContext routing,
            boolean headOnly, long started) {
        String extension = input.formatOrDefault();
        String type = download.header(HttpHeaders.CONTENT_TYPE);
        RestResponse.ResponseBuilder<MediaStream> response = RestResponse.ResponseBuilder.<MediaStream>create(
                download.status())
                .header(HttpHeaders.CONTENT_TYPE, type != null ? type : extension.equals("mp3") ? "audio/mpeg" : "audio/x-wav")
                .header("Content-Disposition", "attachment; filename=\"" + input.recordingSid() + "." + extension + "\"");
        for (String name : PASSED_THROUGH) {
            String value = download.header(name);
            if (value != null) {
                response.header(name, value);
            }
        }
        if (headOnly) {
            download.close();
            record("success", started);
            return response.build();
        }
        return response.entity(new MediaStream(download, routing, outcome -> record(outcome, started))).build();
    }

    /** Path, query and {@code Range} as parameters for the dispatcher; query names strictly, as for list_calls. */
    private static ObjectNode parameters(String accountSid, String recordingSid, String range,
            Map<String, List<String>> query) {
        ObjectNode params = JsonNodeFactory.instance.objectNode()
                .put("account_sid", accountSid)
                .put("recording_sid", recordingSid);
        if (range != null) {
            params.put("range", range);
        }
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String name = entry.getKey();
            if (!QUERY_PARAMETERS.contains(name)) {
                throw ActionException.invalid("unknown query parameter '" + name + "'; accepted: channels, format");
            }
            if (entry.getValue().size() != 1) {
                throw ActionException.invalid("query parameter '" + name + "' must be given once");
            }
            String value = entry.getValue().get(0);
            if (name.equals("channels")) {
                if (!value.equals("1") && !value.equals("2")) {
                    throw ActionException.invalid("'channels' must be 1 or 2");
                }
                params.put(name, Integer.parseInt(value));
            } else {
                params.put(name, value);
            }
        }
        return params;
    }

    private void record(String outcome, long started) {
        metrics.record(METRIC_NAME, Surface.REST.tag(), outcome, Duration.ofNanos(System.nanoTime() - started));
    }
}
