package dev.voicegate.api;

import jakarta.ws.rs.GET;
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
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.ledger.ControlPage;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.PolicyMetrics;
import dev.voicegate.voice.Rules;
import io.smallrye.mutiny.Uni;

/**
 * The operators' controls as the ledger recorded them, for operator keys: {@code GET /v1/ledger/controls} (newest
 * first, cursor-paged). Any other caller gets {@code forbidden} (rule {@code role}); every read and every refusal
 * leaves an audit line.
 */
@Path("/v1/ledger/controls")
@Tag(name = "Ledger", description = "Every call Voicegate placed or attempted, with the key that asked (operator keys)")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class LedgerControlsResource {

    static final String LIST = "list_ledger_controls";
    private static final StrictQuery QUERY = new StrictQuery(
            StrictQuery.integer("page_size", "1-200, default 50", 1, LedgerParams.MAX_PAGE_SIZE),
            StrictQuery.text("page_token", "next_page_token of the previous page, as it is"));

    private final AccessControl access;
    private final Guard guard;
    private final Ledger ledger;
    private final AuditTrail audit;
    private final PolicyMetrics metrics;

    LedgerControlsResource(AccessControl access, Guard guard, Ledger ledger, AuditTrail audit, PolicyMetrics metrics) {
        this.access = access;
        this.guard = guard;
        this.ledger = ledger;
        this.audit = audit;
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The operators' controls (suspend, resume, end-all, approval decisions, do-not-call changes), "
            + "newest first, cursor-paged (operator keys)")
    @APIResponse(responseCode = "200", description = "A page of control events; next_page_token (also the "
            + "Next-Page-Token header) asks for the next one",
            content = @Content(schema = @Schema(implementation = LedgerControls.class)))
    public Uni<RestResponse<LedgerControls>> listLedgerControls(
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        try {
            guard.checkOperator(caller, "read the call ledger");
        } catch (PolicyDenial denial) {
            metrics.denied(denial.rule(), caller.name());
            audit.refused(caller.name(), LIST, null, denial.rule());
            throw denial;
        }
        JsonNode query = QUERY.read(uri.getQueryParameters());
        int size = query.has("page_size") ? query.get("page_size").asInt() : LedgerParams.DEFAULT_PAGE_SIZE;
        Rules.between("page_size", size, 1, LedgerParams.MAX_PAGE_SIZE);
        String token = query.has("page_token") ? query.get("page_token").asText() : null;
        if (token != null && !LedgerParams.isToken(token)) {
            throw LedgerParams.badToken();
        }
        audit.read(caller.name(), LIST, "controls?page_size=" + size + (token == null ? "" : "&page_token=" + token));
        return Uni.createFrom().deferred(() -> ledger.controls(token, size))
                .onFailure(e -> e instanceof IllegalArgumentException && token != null)
                .transform(e -> LedgerParams.badToken())
                .map(page -> page(page, uri));
    }

    private static RestResponse<LedgerControls> page(ControlPage page, UriInfo uri) {
        RestResponse.ResponseBuilder<LedgerControls> response = RestResponse.ResponseBuilder.ok(new LedgerControls(true,
                null, page.events().stream().map(LedgerControls.Control::of).toList(), page.next()));
        Responses.nextPage(response, uri, page.next());
        return response.build();
    }
}
