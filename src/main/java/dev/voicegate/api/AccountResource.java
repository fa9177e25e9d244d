package dev.voicegate.api;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.registry.InputParser;
import dev.voicegate.voice.GetRecordingAction;
import dev.voicegate.voice.GetRecordingOutput;
import dev.voicegate.voice.ListCallsAction;
import dev.voicegate.voice.ListCallsInput;
import dev.voicegate.voice.ListCallsOutput;
import dev.voicegate.voice.MakeCallAction;
import dev.voicegate.voice.MakeCallInput;
import dev.voicegate.voice.MakeCallOutput;
import dev.voicegate.voice.Surface;
import io.smallrye.mutiny.Uni;

/**
 * REST surface: the same actions as resources of an account. Same bodies as the tool calls; the status
 * mirrors the outcome (201, 400, 401, 403, 404, 429 with {@code Retry-After}, 502, 504).
 */
@Path("/v1/accounts/{account_sid}")
@Tag(name = "Accounts", description = "Calls and recordings of a Twilio account")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class AccountResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** What {@code GET /calls} accepts: list_calls' parameters but {@code account_sid}, which is in the path. */
    static final StrictQuery LIST_CALLS_QUERY = new StrictQuery(
            StrictQuery.text("to", "E.164 number called"),
            StrictQuery.text("from", "E.164 number calling"),
            StrictQuery.text("from_", "Same as 'from'"),
            StrictQuery.text("status", "Call status"),
            StrictQuery.text("start_time_after", "YYYY-MM-DD, inclusive, UTC"),
            StrictQuery.text("start_time_before", "YYYY-MM-DD, inclusive, UTC"),
            StrictQuery.integer("page_size", "1-1000, default 50", 1, ListCallsInput.MAX_PAGE_SIZE),
            StrictQuery.bool("include_recordings", "true (default) or false"),
            StrictQuery.text("page_token", "Cursor from a previous page's Link header"));

    private final ActionDispatcher dispatcher;
    private final AccessControl access;
    private final InputParser parser;
    private final MakeCallAction makeCall;
    private final ListCallsAction listCalls;
    private final GetRecordingAction getRecording;

    AccountResource(ActionDispatcher dispatcher, AccessControl access, InputParser parser, MakeCallAction makeCall,
            ListCallsAction listCalls, GetRecordingAction getRecording) {
        this.dispatcher = dispatcher;
        this.access = access;
        this.parser = parser;
        this.makeCall = makeCall;
        this.listCalls = listCalls;
        this.getRecording = getRecording;
    }

    @POST
    @Path("/calls")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Place a call (make_call); 'account_sid' comes from the path")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MakeCallInput.class)))
    @APIResponse(responseCode = "201", description = "Call created",
            content = @Content(schema = @Schema(implementation = MakeCallOutput.class)))
    @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = "Places the call at most once per key "
            + "(1-255 printable ASCII, kept 24 h); a repeat replays the outcome with Idempotent-Replayed: true",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255, pattern = "^[\\x20-\\x7E]+$"))
    public Uni<RestResponse<Object>> makeCall(@RestPath("account_sid") String accountSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpHeaders headers,
            String body) {
        Caller caller = access.authenticate(authorization);
        ObjectNode params = (ObjectNode) parser.readBody(body);
        merge(params, "account_sid", accountSid, "'account_sid' in the body differs from the one in the path");
        // Read raw: Quarkus hands an empty header to @RestHeader as absent, and it must fail validation instead.
        List<String> idempotencyKey = headers.getRequestHeader(IDEMPOTENCY_KEY);
        if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
            merge(params, "idempotency_key", idempotencyKey.get(0),
                    "the Idempotency-Key header differs from 'idempotency_key' in the body");
        }
        return dispatcher.invoke(makeCall, params, caller, Surface.REST).map(result -> Responses.rest(result, 201).build());
    }

    @GET
    @Path("/calls")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List calls with their recording SIDs (list_calls); a Link header rel=\"next\" points at the next page")
    @APIResponse(responseCode = "200", description = "A page of calls",
            content = @Content(schema = @Schema(implementation = ListCallsOutput.class)))
    public Uni<RestResponse<Object>> listCalls(@RestPath("account_sid") String accountSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        ObjectNode params = LIST_CALLS_QUERY.read(uri.getQueryParameters());
        params.put("account_sid", accountSid);
        return dispatcher.invoke(listCalls, params, caller, Surface.REST).map(result -> {
            return Responses.linkNext(Responses.rest(result, 200), uri, result.nextPageToken()).build();
        });
    }

    @GET
    @Path("/recordings/{recording_sid}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A recording with its media URL and latest transcription (get_recording)")
    @APIResponse(responseCode = "200", description = "The recording",
            content = @Content(schema = @Schema(implementation = GetRecordingOutput.class)))
    public Uni<RestResponse<Object>> getRecording(@RestPath("account_sid") String accountSid,
            @RestPath("recording_sid") String recordingSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = access.authenticate(authorization);
        ObjectNode params = JsonNodeFactory.instance.objectNode()
                .put("account_sid", accountSid)
                .put("recording_sid", recordingSid);
        return dispatcher.invoke(getRecording, params, caller, Surface.REST).map(result -> Responses.rest(result, 200).build());
    }

    /** Puts a value given outside the body; the body may repeat it, but not contradict it. */
    private static void merge(ObjectNode params, String name, String value, String conflict) {
        JsonNode inBody = params.get(name);
        if (inBody != null && !inBody.isNull() && !inBody.asText().equals(value)) {
            throw ActionException.invalid(conflict);
        }
        params.put(name, value);
    }
}
