package dev.voicegate.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.voice.ActionException;
import dev.voicegate.voice.GetRecordingAction;
import dev.voicegate.voice.GetRecordingOutput;
import dev.voicegate.voice.ListCallsAction;
import dev.voicegate.voice.ListCallsOutput;
import dev.voicegate.voice.MakeCallAction;
import dev.voicegate.voice.MakeCallInput;
import dev.voicegate.voice.MakeCallOutput;
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

    private static final Set<String> LIST_PARAMETERS = Set.of("to", "from", "from_", "status", "start_time_after",
            "start_time_before", "page_size", "include_recordings", "page_token");

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
    public Uni<RestResponse<Object>> makeCall(@RestPath("account_sid") String accountSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "Places the call at most once per key (1-255 printable ASCII, kept 24 h); "
                    + "a repeat replays the outcome with Idempotent-Replayed: true")
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @Context HttpHeaders headers,
            String body) {
        Caller caller = access.authenticate(authorization);
        if (idempotencyKey == null && headers.getRequestHeaders().containsKey("Idempotency-Key")) {
            // An empty header reads as absent: it must fail validation, not place an unprotected call.
            idempotencyKey = "";
        }
        ObjectNode params = (ObjectNode) parser.readBody(body);
        JsonNode given = params.get("account_sid");
        if (given != null && !given.isNull() && !given.asText().equals(accountSid)) {
            throw ActionException.invalid("'account_sid' in the body differs from the one in the path");
        }
        params.put("account_sid", accountSid);
        if (idempotencyKey != null) {
            JsonNode inBody = params.get("idempotency_key");
            if (inBody != null && !inBody.isNull() && !inBody.asText().equals(idempotencyKey)) {
                throw ActionException.invalid("the Idempotency-Key header differs from 'idempotency_key' in the body");
            }
            params.put("idempotency_key", idempotencyKey);
        }
        return dispatcher.invoke(makeCall, params, caller).map(result -> Responses.rest(result, 201).build());
    }

    @GET
    @Path("/calls")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List calls with their recording SIDs (list_calls); a Link header rel=\"next\" points at the next page")
    @APIResponse(responseCode = "200", description = "A page of calls",
            content = @Content(schema = @Schema(implementation = ListCallsOutput.class)))
    public Uni<RestResponse<Object>> listCalls(@RestPath("account_sid") String accountSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "E.164 number called") @RestQuery String to,
            @Parameter(description = "E.164 number calling") @RestQuery String from,
            @Parameter(description = "Call status") @RestQuery String status,
            @Parameter(description = "YYYY-MM-DD, inclusive, UTC") @RestQuery("start_time_after") String startTimeAfter,
            @Parameter(description = "YYYY-MM-DD, inclusive, UTC") @RestQuery("start_time_before") String startTimeBefore,
            @Parameter(description = "1-1000, default 50") @RestQuery("page_size") String pageSize,
            @Parameter(description = "true (default) or false") @RestQuery("include_recordings") String includeRecordings,
            @Parameter(description = "Cursor from a previous page's Link header") @RestQuery("page_token") String pageToken,
            @Context UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        ObjectNode params = queryParameters(uri.getQueryParameters());
        params.put("account_sid", accountSid);
        return dispatcher.invoke(listCalls, params, caller).map(result -> {
            RestResponse.ResponseBuilder<Object> response = Responses.rest(result, 200);
            if (result.nextPageToken() != null) {
                String next = uri.getRequestUriBuilder().replaceQueryParam("page_token", result.nextPageToken()).build().toString();
                response.header("Link", "<" + next + ">; rel=\"next\"");
            }
            return response.build();
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
        return dispatcher.invoke(getRecording, params, caller).map(result -> Responses.rest(result, 200).build());
    }

    /** Query strings are typed here, strictly: a typo in a filter name is an error, not a silent "all calls". */
    private static ObjectNode queryParameters(Map<String, List<String>> query) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String name = entry.getKey();
            if (!LIST_PARAMETERS.contains(name)) {
                throw ActionException.invalid("unknown query parameter '" + name + "'; accepted: "
                        + String.join(", ", LIST_PARAMETERS.stream().sorted().toList()));
            }
            if (entry.getValue().size() != 1) {
                throw ActionException.invalid("query parameter '" + name + "' must be given once");
            }
            String value = entry.getValue().get(0);
            switch (name) {
                case "page_size" -> params.put(name, integer(name, value));
                case "include_recordings" -> params.put(name, bool(name, value));
                default -> params.put(name, value);
            }
        }
        return params;
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ActionException.invalid("'" + name + "' must be an integer from 1 to 1000");
        }
    }

    private static boolean bool(String name, String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw ActionException.invalid("'" + name + "' must be true or false");
    }
}
