package dev.voicegate.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
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
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.voice.EndCallAction;
import dev.voicegate.voice.EndCallOutput;
import dev.voicegate.voice.GetCallAction;
import dev.voicegate.voice.GetCallOutput;
import dev.voicegate.voice.Surface;
import io.smallrye.mutiny.Uni;

/**
 * get_call and end_call ({@code POST …/end}) as REST resources of an account. Its own class beside {@link AccountResource}: JAX-RS routes a call's
 * path here (the longer literal template wins) and the account's call list there. A waiting request holds no
 * thread; when the caller disconnects, Quarkus REST cancels the returned {@code Uni} and the polling stops.
 */
@Path("/v1/accounts/{account_sid}/calls/{call_sid}")
@Tag(name = "Accounts", description = "Calls and recordings of a Twilio account")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class CallResource {

    private static final Set<String> PARAMETERS = Set.of("wait_seconds", "include_recordings");

    private final ActionDispatcher dispatcher;
    private final AccessControl access;
    private final GetCallAction getCall;
    private final EndCallAction endCall;

    CallResource(ActionDispatcher dispatcher, AccessControl access, GetCallAction getCall, EndCallAction endCall) {
        this.dispatcher = dispatcher;
        this.access = access;
        this.getCall = getCall;
        this.endCall = endCall;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One call with its recording SIDs (get_call); with wait_seconds, once it has ended or the wait "
            + "is over (read-only)")
    @APIResponse(responseCode = "200", description = "The call; 'final' tells whether its status can still change",
            content = @Content(schema = @Schema(implementation = GetCallOutput.class)))
    public Uni<RestResponse<Object>> getCall(@RestPath("account_sid") String accountSid,
            @RestPath("call_sid") String callSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "0-60, default 0: wait up to this many seconds for a final status",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "60"))
            @RestQuery("wait_seconds") String waitSeconds,
            @Parameter(description = "true (default) or false", schema = @Schema(type = SchemaType.BOOLEAN))
            @RestQuery("include_recordings") String includeRecordings,
            @Context UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        ObjectNode params = queryParameters(uri.getQueryParameters());
        params.put("account_sid", accountSid);
        params.put("call_sid", callSid);
        return dispatcher.invoke(getCall, params, caller, Surface.REST).map(result -> Responses.rest(result, 200).build());
    }

    @POST
    @Path("/end")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "End (hang up) a call (end_call): cancels a queued or ringing call, completes one in progress; "
            + "a call already over is left alone (ended_by_this_request: false). No body, no query parameters")
    @APIResponse(responseCode = "200", description = "The call after the request; whether this request ended it",
            content = @Content(schema = @Schema(implementation = EndCallOutput.class)))
    public Uni<RestResponse<Object>> endCall(@RestPath("account_sid") String accountSid,
            @RestPath("call_sid") String callSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        if (!uri.getQueryParameters().isEmpty()) {
            throw ActionException.invalid("end takes no query parameters; the call is named by the path");
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode()
                .put("account_sid", accountSid)
                .put("call_sid", callSid);
        return dispatcher.invoke(endCall, params, caller, Surface.REST).map(result -> Responses.rest(result, 200).build());
    }

    /** Typed strictly, as the tool call's JSON is: a misspelt name or a non-integer is an error, never a default. */
    private static ObjectNode queryParameters(Map<String, List<String>> query) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String name = entry.getKey();
            if (!PARAMETERS.contains(name)) {
                throw ActionException.invalid("unknown query parameter '" + name + "'; accepted: "
                        + String.join(", ", PARAMETERS.stream().sorted().toList()));
            }
            if (entry.getValue().size() != 1) {
                throw ActionException.invalid("query parameter '" + name + "' must be given once");
            }
            String value = entry.getValue().get(0);
            if (name.equals("wait_seconds")) {
                if (!value.matches("[0-9]{1,2}")) {
                    throw ActionException.invalid("'wait_seconds' must be an integer from 0 to 60");
                }
                params.put(name, Integer.parseInt(value));
            } else if (value.equals("true") || value.equals("false")) {
                params.put(name, Boolean.parseBoolean(value));
            } else {
                throw ActionException.invalid("'include_recordings' must be true or false");
            }
        }
        return params;
    }
}
