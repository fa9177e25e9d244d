package dev.voicegate.api;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.Redact;
import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.dnc.DoNotCall;
import dev.voicegate.dnc.DoNotCallUnavailableException;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.PolicyMetrics;
import dev.voicegate.registry.InputParser;
import dev.voicegate.voice.ControlEvents;
import io.smallrye.mutiny.Uni;

/**
 * The do-not-call list, for operator keys: add ({@code PUT}, with an optional reason), remove, read one number and
 * page through the list. Any other caller gets {@code forbidden} (rule {@code role}); every operation and every
 * refusal leaves an audit line, the number masked. Nothing here reaches Twilio.
 */
@Path("/v1/admin/do-not-call")
@Tag(name = "Do-not-call", description = "Numbers no make_call may dial, for any key (operator keys)")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class DoNotCallResource {

    static final String PUT_ACTION = "add_do_not_call";
    static final String DELETE_ACTION = "remove_do_not_call";
    static final String GET_ACTION = "get_do_not_call";
    static final String LIST_ACTION = "list_do_not_call";
    private static final int MAX_REASON = 500;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    static final StrictQuery LIST_QUERY = new StrictQuery(
            StrictQuery.integer("page_size", "1-200, default 50", 1, LedgerParams.MAX_PAGE_SIZE),
            StrictQuery.text("page_token", "next_page_token of the previous page, as it is"));

    private final AccessControl access;
    private final Guard guard;
    private final DoNotCall list;
    private final InputParser parser;
    private final ControlEvents controls;
    private final AuditTrail audit;
    private final PolicyMetrics metrics;

    DoNotCallResource(AccessControl access, Guard guard, DoNotCall list, InputParser parser, ControlEvents controls,
            AuditTrail audit, PolicyMetrics metrics) {
        this.controls = controls;
        this.access = access;
        this.guard = guard;
        this.list = list;
        this.parser = parser;
        this.audit = audit;
        this.metrics = metrics;
    }

    @PUT
    @Path("/{number}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Adds a number to the do-not-call list, or replaces its reason (operator keys)")
    @APIResponse(responseCode = "200", description = "The entry; 'created' is false when the number was listed already",
            content = @Content(schema = @Schema(implementation = DoNotCallOutput.class)))
    public Uni<RestResponse<DoNotCallOutput>> addDoNotCall(@RestPath String number,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType, @Context UriInfo uri, String body) {
        Caller caller = operator(authorization, PUT_ACTION);
        noQuery(uri);
        String e164 = list.normalise(number);
        String reason = reason(contentType, body);
        audit.operator(caller.name(), PUT_ACTION, Redact.phone(e164));
        // The ledger keeps the number masked only: the list never appears in clear outside its store.
        return controls.recorded(unavailableAs503(list.add(e164, reason, caller.name())), PUT_ACTION, caller,
                Redact.phone(e164), reason, created -> created ? "added" : "reason replaced")
                .flatMap(created -> unavailableAs503(list.find(e164)).map(entry -> RestResponse.ok(
                        new DoNotCallOutput(true, null, entry.orElse(null), created, null))));
    }

    @DELETE
    @Path("/{number}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Removes a number from the do-not-call list (operator keys)")
    @APIResponse(responseCode = "200", description = "'removed' is false when the number was not listed",
            content = @Content(schema = @Schema(implementation = DoNotCallOutput.class)))
    public Uni<RestResponse<DoNotCallOutput>> removeDoNotCall(@RestPath String number,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        Caller caller = operator(authorization, DELETE_ACTION);
        noQuery(uri);
        String e164 = list.normalise(number);
        audit.operator(caller.name(), DELETE_ACTION, Redact.phone(e164));
        return controls.recorded(unavailableAs503(list.remove(e164)), DELETE_ACTION, caller, Redact.phone(e164), null,
                removed -> removed ? "removed" : "was not listed")
                .map(removed -> RestResponse.ok(new DoNotCallOutput(true, null, null, null, removed)));
    }

    @GET
    @Path("/{number}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One number of the do-not-call list: reason, when and by which key it was added (operator keys)")
    @APIResponse(responseCode = "200", description = "The entry",
            content = @Content(schema = @Schema(implementation = DoNotCallOutput.class)))
    @APIResponse(responseCode = "404", description = "not_found: the number is not listed")
    public Uni<RestResponse<DoNotCallOutput>> getDoNotCall(@RestPath String number,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        Caller caller = operator(authorization, GET_ACTION);
        noQuery(uri);
        String e164 = list.normalise(number);
        audit.read(caller.name(), GET_ACTION, Redact.phone(e164));
        return unavailableAs503(list.find(e164).map(found -> RestResponse.ok(new DoNotCallOutput(true, null,
                found.orElseThrow(() -> new ActionException(new ActionFailure(ErrorCategory.NOT_FOUND, "'"
                        + Redact.phone(e164) + "' is not on the do-not-call list. Retrying will not help."))),
                null, null))));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The do-not-call list, cursor-paged (operator keys)")
    @APIResponse(responseCode = "200", description = "A page of entries; next_page_token (also the Next-Page-Token "
            + "header) asks for the next one", content = @Content(schema = @Schema(implementation = DoNotCallList.class)))
    public Uni<RestResponse<DoNotCallList>> listDoNotCall(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri) {
        Caller caller = operator(authorization, LIST_ACTION);
        JsonNode query = LIST_QUERY.read(uri.getQueryParameters());
        int size = query.has("page_size") ? query.get("page_size").asInt() : LedgerParams.DEFAULT_PAGE_SIZE;
        if (size < 1 || size > LedgerParams.MAX_PAGE_SIZE) {
            throw ActionException.invalid("'page_size' must be between 1 and " + LedgerParams.MAX_PAGE_SIZE);
        }
        String token = query.has("page_token") ? query.get("page_token").asText() : null;
        audit.read(caller.name(), LIST_ACTION, "page_size=" + size);
        return unavailableAs503(list.page(token, size).map(page -> {
            RestResponse.ResponseBuilder<DoNotCallList> response = RestResponse.ResponseBuilder.ok(
                    new DoNotCallList(true, null, page.entries(), page.next()));
            Responses.nextPage(response, uri, page.next());
            return response.build();
        }));
    }

    /** The caller, when it is an operator; a refusal is counted and audited, then answered as every refusal is. */
    private Caller operator(String authorization, String action) {
        Caller caller = access.authenticate(authorization);
        try {
            guard.checkOperator(caller, "manage the do-not-call list");
        } catch (PolicyDenial denial) {
            metrics.denied(denial.rule(), caller.name());
            audit.refused(caller.name(), action, null, denial.rule());
            throw denial;
        }
        return caller;
    }

    /** The optional body of a PUT: no body, or a JSON object with at most a string 'reason'. */
    private String reason(String contentType, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node = parser.readBody(contentType, body);
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            String name = fields.next().getKey();
            if (!name.equals("reason")) {
                throw ActionException.invalid("unknown parameter '" + Redact.phonesIn(name.length() > 64
                        ? name.substring(0, 64) + "…" : name) + "'; accepted: reason");
            }
        }
        JsonNode reason = node.get("reason");
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isTextual() || reason.asText().length() > MAX_REASON || CONTROL.matcher(reason.asText()).find()) {
            throw ActionException.invalid("'reason' must be a string of at most " + MAX_REASON
                    + " characters without control characters");
        }
        return reason.asText();
    }

    private static void noQuery(UriInfo uri) {
        if (!uri.getQueryParameters().isEmpty()) {
            throw ActionException.invalid("this endpoint takes no query parameters");
        }
    }

    private static <T> Uni<T> unavailableAs503(Uni<T> read) {
        return read.onFailure(DoNotCallUnavailableException.class).transform(e -> new ActionException(new ActionFailure(
                ErrorCategory.UPSTREAM_UNAVAILABLE, "the do-not-call list's store (Redis) is unreachable; nothing was "
                        + "read or changed. Retrying later may help.", 503, null)));
    }
}
