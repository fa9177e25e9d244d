package dev.voicegate.api;


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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.approval.Approval;
import dev.voicegate.approval.ApprovalStoreException;
import dev.voicegate.approval.Approvals;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.PolicyMetrics;
import dev.voicegate.voice.ControlEvents;
import io.smallrye.mutiny.Uni;

/**
 * Approvals before dialing, for operator keys: {@code GET /v1/admin/approvals} lists the live ones,
 * {@code POST /v1/admin/approvals/{id}/approve|deny} decides a pending one (the first decision stands). Any other
 * caller gets {@code forbidden} (rule {@code role}); every decision and every refusal leaves an audit line.
 */
@Path("/v1/admin/approvals")
@Tag(name = "Admin", description = "Operator controls (operator keys)")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class AdminApprovalsResource {

    static final String LIST = "list_approvals";
    static final String APPROVE = "approve_call";
    static final String DENY = "deny_call";

    private final AccessControl access;
    private final Guard guard;
    private final Approvals approvals;
    private final ControlEvents controls;
    private final AuditTrail audit;
    private final PolicyMetrics metrics;

    AdminApprovalsResource(AccessControl access, Guard guard, Approvals approvals, ControlEvents controls,
            AuditTrail audit, PolicyMetrics metrics) {
        this.access = access;
        this.guard = guard;
        this.approvals = approvals;
        this.controls = controls;
        this.audit = audit;
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The live approvals before dialing, oldest first, at most 200 (operator keys)")
    @APIResponse(responseCode = "200", description = "The approvals: pending ones and those decided but not yet expired",
            content = @Content(schema = @Schema(implementation = AdminApproval.Listing.class)))
    public Uni<RestResponse<AdminApproval.Listing>> listApprovals(
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        Caller caller = operator(authorization, LIST, uri);
        audit.read(caller.name(), LIST, "approvals");
        return approvals.live().onFailure(ApprovalStoreException.class).transform(AdminApprovalsResource::unavailable)
                .map(live -> RestResponse.ok(new AdminApproval.Listing(true, null, live.stream()
                        .filter(approval -> caller.policy().allowsAccount(approval.accountSid()))
                        .map(AdminApproval::of).toList())));
    }

    @POST
    @Path("/{approval_id}/approve")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve a pending make_call: the agent's next try with its idempotency_key places it")
    @APIResponse(responseCode = "200", description = "The approval after the decision",
            content = @Content(schema = @Schema(implementation = AdminApproval.Output.class)))
    @APIResponse(responseCode = "404", description = "not_found: no such live approval (it may have expired)")
    @APIResponse(responseCode = "409", description = "invalid_request: the approval was already denied")
    public Uni<RestResponse<AdminApproval.Output>> approveCall(@RestPath("approval_id") String id,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        return decide(id, Approval.State.APPROVED, APPROVE, operator(authorization, APPROVE, uri));
    }

    @POST
    @Path("/{approval_id}/deny")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deny a pending make_call: the agent's next try with its idempotency_key is forbidden")
    @APIResponse(responseCode = "200", description = "The approval after the decision",
            content = @Content(schema = @Schema(implementation = AdminApproval.Output.class)))
    @APIResponse(responseCode = "404", description = "not_found: no such live approval (it may have expired)")
    @APIResponse(responseCode = "409", description = "invalid_request: the approval was already approved")
    public Uni<RestResponse<AdminApproval.Output>> denyCall(@RestPath("approval_id") String id,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        return decide(id, Approval.State.DENIED, DENY, operator(authorization, DENY, uri));
    }

    private Uni<RestResponse<AdminApproval.Output>> decide(String id, Approval.State decision, String action,
            Caller caller) {
        if (!Approval.isId(id)) {
            throw ActionException.invalid("'approval_id' must be 'AP' followed by 32 lowercase hex digits, as "
                    + "pending_approval and GET /v1/admin/approvals give it");
        }
        Uni<RestResponse<AdminApproval.Output>> decided = approvals.find(id).flatMap(found -> {
            if (found == null) {
                return Uni.createFrom().<Approval>nullItem();
            }
            check(caller, action, id, () -> guard.checkAccount(caller, found.accountSid()));
            return approvals.decide(id, decision, caller.name());
        }).onFailure(ApprovalStoreException.class).transform(AdminApprovalsResource::unavailable)
                .map(approval -> {
                    if (approval == null) {
                        throw new ActionException(new ActionFailure(ErrorCategory.NOT_FOUND, "no live approval "
                                + id + " (approvals expire after VOICEGATE_APPROVAL_TTL). Retrying will not help."));
                    }
                    if (approval.state() != decision) {
                        throw new ActionException(new ActionFailure(ErrorCategory.INVALID_REQUEST, "approval " + id
                                + " was already " + approval.state().name().toLowerCase() + " by key '"
                                + approval.decidedBy() + "'; the first decision stands. Retrying will not help.", 409,
                                null));
                    }
                    audit.operator(caller.name(), action, id + " " + approval.to());
                    return RestResponse.ok(new AdminApproval.Output(true, null, AdminApproval.of(approval)));
                });
        return controls.recorded(decided, action, caller, id, null,
                answer -> answer.getEntity().approval().state());
    }

    /** The caller, when it is an operator and sent no query string; a refusal is counted and audited. */
    private Caller operator(String authorization, String action, UriInfo uri) {
        Caller caller = access.authenticate(authorization);
        check(caller, action, null, () -> guard.checkOperator(caller, "see and decide approvals before dialing"));
        if (!uri.getQueryParameters().isEmpty()) {
            throw ActionException.invalid("this endpoint takes no query parameters");
        }
        return caller;
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

    private static Throwable unavailable(Throwable failure) {
        return new ActionException(new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the approval store "
                + "(Redis) is unreachable; nothing was decided. Retrying later may help.", 503, null));
    }
}
