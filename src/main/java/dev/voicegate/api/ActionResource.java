package dev.voicegate.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.registry.ActionCatalog;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.registry.InputParser;
import dev.voicegate.voice.Action;
import dev.voicegate.voice.ActionOutput;
import dev.voicegate.voice.ActionResult;
import dev.voicegate.voice.Surface;
import io.smallrye.mutiny.Uni;

/**
 * Tool-call surface for agents: {@code POST /v1/actions/{name}} with the contract's JSON parameters.
 * Every handled outcome is HTTP 200 with the envelope; only authentication (401), an unknown action (404),
 * a body over the size limit (413, see {@link BodyLimit}) and an unparseable Content-Type (415) change the status.
 */
@Path("/v1/actions")
@Tag(name = "Actions", description = "Tool-call endpoints for agents")
public class ActionResource {

    private final ActionDispatcher dispatcher;
    private final ActionCatalog catalog;
    private final AccessControl access;
    private final InputParser parser;

    ActionResource(ActionDispatcher dispatcher, ActionCatalog catalog, AccessControl access, InputParser parser) {
        this.dispatcher = dispatcher;
        this.catalog = catalog;
        this.access = access;
        this.parser = parser;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The action catalog: names, descriptions, input and output JSON Schemas")
    @SecurityRequirements // public: an agent reads the catalog before it has anything to authenticate with
    public ActionCatalog.Catalog catalog() {
        return catalog.catalog();
    }

    @POST
    @Path("/{action}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    // The OpenAPI document has one operation per action instead, made from this one (ApiDocumentFilter).
    @Operation(description = "Runs the action with the parameters of its contract input schema (GET /v1/actions).")
    @APIResponse(responseCode = "200", description = "Handled: success, partial or failure, see 'success' and 'error'. "
            + "For list_calls a Next-Page-Token header carries the next page's page_token.")
    @APIResponse(responseCode = "401", description = "Not authenticated")
    public Uni<RestResponse<Object>> invoke(
            @RestPath String action,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            String body) {
        Action<?, ?> target = dispatcher.find(action).orElseThrow(() -> new ActionException(new ActionFailure(
                ErrorCategory.NOT_FOUND, "unknown action '" + action + "'; the actions are "
                        + String.join(", ", dispatcher.actions().keySet()) + ". Retrying will not help.")));
        Caller caller = access.authenticate(authorization);
        JsonNode params;
        try {
            params = parser.readBody(contentType, body);
        } catch (ActionException unreadable) {
            return Uni.createFrom().item(Responses.toolCall(failed(target, unreadable.failure())));
        }
        return dispatcher.invoke(target, params, caller, Surface.TOOL_CALL).map(Responses::toolCall);
    }

    private static <O extends ActionOutput> ActionResult<O> failed(Action<?, O> action, ActionFailure failure) {
        return ActionResult.failed(action.failure(failure.error()), failure);
    }
}
