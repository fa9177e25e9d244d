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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import dev.voicegate.Sid;
import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerPage;
import dev.voicegate.ledger.LedgerQuery;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.PolicyMetrics;
import dev.voicegate.voice.Rules;
import io.smallrye.mutiny.Uni;

/**
 * The call ledger, for operator keys: {@code GET /v1/ledger/calls} (newest first, filtered, cursor-paged) and
 * {@code GET /v1/ledger/calls/{call_sid}} (one entry with its timeline). Any other caller gets {@code forbidden}
 * (rule {@code role}); every read and every refusal leaves an audit line. Nothing here reaches Twilio.
 */
@Path("/v1/ledger/calls")
@Tag(name = "Ledger", description = "Every call Voicegate placed or attempted, with the key that asked (operator keys)")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class LedgerResource {

    static final String LIST = "list_ledger_calls";
    static final String GET = "get_ledger_call";
    private static final String READ = "read the call ledger";

    private final AccessControl access;
    private final Guard guard;
    private final Ledger ledger;
    private final AuditTrail audit;
    private final PolicyMetrics metrics;

    LedgerResource(AccessControl access, Guard guard, Ledger ledger, AuditTrail audit, PolicyMetrics metrics) {
        this.access = access;
        this.guard = guard;
        this.ledger = ledger;
        this.audit = audit;
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The ledger's calls, newest first, filtered and cursor-paged (operator keys)")
    @APIResponse(responseCode = "200", description = "A page of calls; next_page_token (also the Next-Page-Token "
            + "header) asks for the next one", content = @Content(schema = @Schema(implementation = LedgerCalls.class)))
    public Uni<RestResponse<LedgerCalls>> listLedgerCalls(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        check(caller, LIST, null, () -> guard.checkOperator(caller, READ));
        LedgerQuery query = LedgerParams.read(uri.getQueryParameters());
        String target = LedgerParams.describe(query);
        check(caller, LIST, target, () -> guard.checkAccount(caller, query.accountSid()));
        audit.read(caller.name(), LIST, target);
        return Uni.createFrom().deferred(() -> ledger.list(query))
                // A ledger refuses a cursor it did not make with IllegalArgumentException, thrown or as the failure.
                .onFailure(e -> e instanceof IllegalArgumentException && query.cursor() != null)
                .transform(e -> LedgerParams.badToken())
                .map(page -> page(page, uri));
    }

    @GET
    @Path("/{call_sid}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One call of the ledger with its timeline of status events (operator keys)")
    @APIResponse(responseCode = "200", description = "The entry",
            content = @Content(schema = @Schema(implementation = LedgerCall.Output.class)))
    @APIResponse(responseCode = "404", description = "not_found: the ledger holds no such call")
    public Uni<RestResponse<LedgerCall.Output>> getLedgerCall(@RestPath("call_sid") String callSid,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        check(caller, GET, null, () -> guard.checkOperator(caller, READ));
        if (!uri.getQueryParameters().isEmpty()) {
            throw ActionException.invalid("this endpoint takes no query parameters");
        }
        Rules.sid("call_sid", callSid, Sid.CALL);
        return ledger.find(callSid).map(found -> {
            check(caller, GET, callSid, () -> found.ifPresent(e -> guard.checkAccount(caller, e.attempt().accountSid())));
            audit.read(caller.name(), GET, callSid);
            LedgerCall call = LedgerCall.of(found.orElseThrow(() -> new ActionException(new ActionFailure(
                    ErrorCategory.NOT_FOUND, "the call ledger holds no call " + callSid + " (it keeps the calls placed "
                            + "through Voicegate for VOICEGATE_LEDGER_RETENTION). Retrying will not help."))));
            return RestResponse.ok(new LedgerCall.Output(true, null, call));
        });
    }

    /** Runs a policy check; a refusal is counted and audited, then answered as every refusal is (403). */
    private void check(Caller caller, String action, String target, Runnable rule) {
        try {
            rule.run();
        } catch (PolicyDenial denial) {
            metrics.denied(denial.rule(), caller.name());
            audit.refused(caller.name(), action, target, denial.rule());
            throw denial;
        }
    }

    private static RestResponse<LedgerCalls> page(LedgerPage page, UriInfo uri) {
        RestResponse.ResponseBuilder<LedgerCalls> response = RestResponse.ResponseBuilder.ok(new LedgerCalls(true, null,
                page.entries().stream().map(LedgerCall::of).toList(), page.next()));
        Responses.nextPage(response, uri, page.next());
        return response.build();
    }
}
