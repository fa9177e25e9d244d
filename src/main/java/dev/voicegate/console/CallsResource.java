package dev.voicegate.console;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestCookie;

import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerPage;
import dev.voicegate.ledger.LedgerUnavailableException;
import dev.voicegate.observability.AuditTrail;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The calls page: the ledger newest first, filtered and cursor-paged, as {@code api/LedgerResource} reads it for an
 * operator key (the same account rule and audit line). Its rows alone ({@code /console/fragments/calls}) are what the
 * live updates fetch again when {@link CallsStream} says the ledger changed.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class CallsResource {

    static final String LIST = "console_list_calls";

    @Location("console/calls.html")
    Template page;

    private final ConsoleAccess console;
    private final Guard guard;
    private final Ledger ledger;
    private final AuditTrail audit;

    CallsResource(ConsoleAccess console, Guard guard, Ledger ledger, AuditTrail audit) {
        this.console = console;
        this.guard = guard;
        this.ledger = ledger;
        this.audit = audit;
    }

    @GET
    @Path("/calls")
    public Uni<TemplateInstance> calls(@RestCookie(Sessions.COOKIE) String session, @Context UriInfo uri) {
        Operator operator = console.operator(session);
        CallFilters filters = CallFilters.read(uri.getQueryParameters());
        return rows(operator, filters).map(view -> page.data("operator", operator).data("section", "calls").data("view", view));
    }

    @GET
    @Path("/fragments/calls")
    public Uni<TemplateInstance> fragment(@RestCookie(Sessions.COOKIE) String session, @Context UriInfo uri) {
        Operator operator = console.operator(session);
        CallFilters filters = CallFilters.read(uri.getQueryParameters());
        return rows(operator, filters).map(view -> page.getFragment("rows").data("view", view));
    }

    private Uni<CallsView> rows(Operator operator, CallFilters filters) {
        try {
            guard.checkAccount(operator.caller(), filters.account());
        } catch (PolicyDenial denial) {
            audit.refused(operator.name(), LIST, filters.account(), denial.rule());
            return Uni.createFrom().item(new CallsView(filters, List.of(), null, denial.failure().message()));
        }
        audit.read(operator.name(), LIST, filters.queryString());
        return Uni.createFrom().deferred(() -> ledger.list(filters.query()))
                .map(page -> view(filters, page))
                .onFailure(IllegalArgumentException.class)
                .recoverWithItem(new CallsView(filters, List.of(), null, "That page link is no longer valid; start again "
                        + "from the first page."))
                .onFailure(LedgerUnavailableException.class)
                .recoverWithItem(new CallsView(filters, List.of(), null, "The call ledger's store is unreachable; "
                        + "reload later."));
    }

    private static CallsView view(CallFilters filters, LedgerPage page) {
        return new CallsView(filters, page.entries().stream().map(CallRow::of).toList(),
                page.next() == null ? null : filters.next(page.next()), null);
    }
}
