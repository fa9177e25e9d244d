package dev.voicegate.api;

import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.registry.InputParser;
import dev.voicegate.voice.AddDoNotCallAction;
import dev.voicegate.voice.AddDoNotCallInput;
import dev.voicegate.voice.AddDoNotCallOutput;
import dev.voicegate.voice.Surface;
import io.smallrye.mutiny.Uni;

/**
 * add_do_not_call as a REST resource of an account, as every action has one: {@code POST …/do-not-call} with the
 * tool call's body. The number travels in the body, not the path, so that no access log or proxy holds it. The
 * operators' own endpoints for the list are {@link DoNotCallResource}.
 */
@Path("/v1/accounts/{account_sid}/do-not-call")
@Tag(name = "Accounts", description = "Calls and recordings of a Twilio account")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class AccountDoNotCallResource {

    private final ActionDispatcher dispatcher;
    private final AccessControl access;
    private final InputParser parser;
    private final AddDoNotCallAction addDoNotCall;

    AccountDoNotCallResource(ActionDispatcher dispatcher, AccessControl access, InputParser parser,
            AddDoNotCallAction addDoNotCall) {
        this.dispatcher = dispatcher;
        this.access = access;
        this.parser = parser;
        this.addDoNotCall = addDoNotCall;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Put a number on the do-not-call list (add_do_not_call), for keys whose policy allows it; "
            + "'account_sid' comes from the path. A number listed already is left as it is (added: false)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AddDoNotCallInput.class)))
    @APIResponse(responseCode = "200", description = "The number as listed; whether this request listed it",
            content = @Content(schema = @Schema(implementation = AddDoNotCallOutput.class)))
    public Uni<RestResponse<Object>> addDoNotCallNumber(@RestPath("account_sid") String accountSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType, @Context UriInfo uri, String body) {
        Caller caller = access.authenticate(authorization);
        if (!uri.getQueryParameters().isEmpty()) {
            throw ActionException.invalid("this endpoint takes no query parameters; send 'number' and 'reason' in the body");
        }
        ObjectNode params = (ObjectNode) parser.readBody(contentType, body);
        JsonNode inBody = params.get("account_sid");
        if (inBody != null && !inBody.isNull() && !inBody.asText().equals(accountSid)) {
            throw ActionException.invalid("'account_sid' in the body differs from the one in the path");
        }
        params.put("account_sid", accountSid);
        return dispatcher.invoke(addDoNotCall, params, caller, Surface.REST)
                .map(result -> Responses.rest(result, 200).build());
    }
}
