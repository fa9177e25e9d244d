package dev.voicegate.console;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.approval.Approval;
import dev.voicegate.approval.ApprovalStoreException;
import dev.voicegate.approval.Approvals;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.voice.ControlEvents;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Approvals before dialing: the live ones (of the accounts the operator may use), approve and deny. Decisions go
 * through {@link Approvals} as {@code POST /v1/admin/approvals/{id}/approve|deny} do, with the same audit lines
 * ({@code approve_call}, {@code deny_call}) and control events in the ledger; the first decision stands.
 */
@Path("/console/approvals")
@Produces(MediaType.TEXT_HTML)
public class ApprovalsResource {

    static final String LIST = "list_approvals";
    static final String APPROVE = "approve_call";
    static final String DENY = "deny_call";
    private static final Pattern NOTICE = Pattern.compile("^[a-z-]{1,20}$");

    @Location("console/approvals.html")
    Template page;

    private final ConsoleAccess console;
    private final Guard guard;
    private final Approvals approvals;
    private final AuditTrail audit;
    private final ControlEvents controls;

    ApprovalsResource(ConsoleAccess console, Guard guard, Approvals approvals, AuditTrail audit, ControlEvents controls) {
        this.controls = controls;
        this.console = console;
        this.guard = guard;
        this.approvals = approvals;
        this.audit = audit;
    }

    @GET
    public Uni<TemplateInstance> list(@RestCookie(Sessions.COOKIE) String session, @RestQuery String done) {
        Operator operator = console.operator(session);
        audit.read(operator.name(), LIST, "approvals");
        String notice = done != null && NOTICE.matcher(done).matches() ? done : null;
        return approvals.live().map(live -> live.stream()
                        .filter(approval -> operator.caller().policy().allowsAccount(approval.accountSid()))
                        .map(ApprovalRow::of).toList())
                .onFailure(ApprovalStoreException.class).recoverWithItem((List<ApprovalRow>) null)
                .map(rows -> page.data("operator", operator).data("section", "approvals")
                        .data("rows", rows == null ? List.of() : rows)
                        .data("unavailable", rows == null).data("notice", notice));
    }

    @POST
    @Path("/{approval_id}/approve")
    public Uni<Response> approve(@RestPath("approval_id") String id, @RestCookie(Sessions.COOKIE) String session,
            @RestForm String csrf) {
        return decide(id, Approval.State.APPROVED, APPROVE, console.operator(session, csrf, APPROVE));
    }

    @POST
    @Path("/{approval_id}/deny")
    public Uni<Response> deny(@RestPath("approval_id") String id, @RestCookie(Sessions.COOKIE) String session,
            @RestForm String csrf) {
        return decide(id, Approval.State.DENIED, DENY, console.operator(session, csrf, DENY));
    }

    private Uni<Response> decide(String id, Approval.State decision, String action, Operator operator) {
        if (!Approval.isId(id)) {
            throw new ConsoleRefusal(Response.Status.NOT_FOUND, "That is not an approval id ('AP' and 32 hex digits).");
        }
        return approvals.find(id).flatMap(found -> {
            if (found == null) {
                return Uni.createFrom().<Approval>nullItem();
            }
            try {
                guard.checkAccount(operator.caller(), found.accountSid());
            } catch (PolicyDenial denial) {
                audit.refused(operator.name(), action, id, denial.rule());
                throw new ConsoleRefusal(Response.Status.FORBIDDEN, denial.failure().message());
            }
            return approvals.decide(id, decision, operator.name());
        }).onFailure(ApprovalStoreException.class).transform(e -> {
            control(operator, action, id, "failed: upstream_unavailable");
            return new ConsoleRefusal(Response.Status.SERVICE_UNAVAILABLE, "The approval store is unreachable; nothing "
                    + "was decided. Try again later.");
        }).map(approval -> {
            if (approval == null) {
                control(operator, action, id, "failed: not_found");
                return redirect("expired");
            }
            if (approval.state() != decision) {
                control(operator, action, id, "failed: invalid_request");
                return redirect("already-decided");
            }
            audit.operator(operator.name(), action, id + " " + approval.to());
            control(operator, action, id, approval.state().name().toLowerCase(java.util.Locale.ROOT));
            return redirect(decision == Approval.State.APPROVED ? "approved" : "denied");
        });
    }

    /** The decision as a control event in the ledger, as {@code POST /v1/admin/approvals/{id}/…} records it. */
    private void control(Operator operator, String action, String id, String result) {
        controls.record(action, operator.caller(), id, null, result);
    }

    private static Response redirect(String done) {
        return Response.seeOther(URI.create(Sessions.PATH + "/approvals?done=" + done)).build();
    }
}
