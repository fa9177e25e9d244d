package dev.voicegate.console;

import java.net.URI;
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

import dev.voicegate.Sid;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.failure.ActionException;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.LedgerUnavailableException;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.voice.OperatorEnding;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * One call of the ledger: its page, and End call while it is live. Ending goes through {@link OperatorEnding}, as
 * an operator's control does (one fetch, then the update; an {@code update} event and an {@code end_call} audit line
 * with the operator's key); the page then says how it went.
 */
@Path("/console/calls/{call_sid}")
@Produces(MediaType.TEXT_HTML)
public class CallResource {

    static final String GET = "console_get_call";
    static final String END = "console_end_call";
    private static final Pattern NOTICE = Pattern.compile("^[a-z_-]{1,40}$");

    @Location("console/call.html")
    Template page;

    private final ConsoleAccess console;
    private final Guard guard;
    private final Ledger ledger;
    private final OperatorEnding ending;
    private final AuditTrail audit;
    private final Transcripts transcripts;

    CallResource(ConsoleAccess console, Guard guard, Ledger ledger, OperatorEnding ending, AuditTrail audit,
            Transcripts transcripts) {
        this.transcripts = transcripts;
        this.console = console;
        this.guard = guard;
        this.ledger = ledger;
        this.ending = ending;
        this.audit = audit;
    }

    @GET
    public Uni<TemplateInstance> call(@RestPath("call_sid") String callSid, @RestCookie(Sessions.COOKIE) String session,
            @RestQuery String ended) {
        Operator operator = console.operator(session);
        String notice = ended != null && NOTICE.matcher(ended).matches() ? ended : null;
        return entry(operator, callSid, GET).flatMap(entry -> {
            audit.read(operator.name(), GET, callSid);
            return transcripts.of(operator.caller(), entry.attempt().accountSid(), CallView.recordingSids(entry))
                    .map(recordings -> page.data("operator", operator).data("section", "calls")
                            .data("call", CallView.of(entry, recordings, notice)));
        });
    }

    @POST
    @Path("/end")
    public Uni<Response> end(@RestPath("call_sid") String callSid, @RestCookie(Sessions.COOKIE) String session,
            @RestForm String csrf) {
        Operator operator = console.operator(session, csrf, END);
        return entry(operator, callSid, END).flatMap(entry -> {
            String account = entry.attempt().accountSid();
            try {
                guard.checkEndCall(operator.caller(), account, callSid, entry.attempt().key(), account);
                return ending.end(operator.name(), operator.caller().credentialsFor(account), callSid);
            } catch (PolicyDenial denial) {
                audit.refused(operator.name(), END, callSid, denial.rule());
                throw new ConsoleRefusal(Response.Status.FORBIDDEN, denial.failure().message());
            } catch (ActionException e) {
                throw new ConsoleRefusal(Response.Status.FORBIDDEN, e.failure().message());
            }
        }).map(outcome -> Response.seeOther(URI.create(Sessions.PATH + "/calls/" + callSid + "?ended="
                + outcome.outcome())).build());
    }

    /** The ledger's entry, if the operator may see its account; else a page that says why. */
    private Uni<LedgerEntry> entry(Operator operator, String callSid, String action) {
        if (!Sid.CALL.matches(callSid)) {
            throw new ConsoleRefusal(Response.Status.NOT_FOUND, "That is not a call SID (" + Sid.CALL.shape() + ").");
        }
        return ledger.find(callSid).onFailure(LedgerUnavailableException.class).transform(e -> new ConsoleRefusal(
                Response.Status.SERVICE_UNAVAILABLE, "The call ledger's store is unreachable; reload later."))
                .map(found -> {
                    LedgerEntry entry = found.orElseThrow(() -> new ConsoleRefusal(Response.Status.NOT_FOUND,
                            "The call ledger holds no call " + callSid + "."));
                    try {
                        guard.checkAccount(operator.caller(), entry.attempt().accountSid());
                    } catch (PolicyDenial denial) {
                        audit.refused(operator.name(), action, callSid, denial.rule());
                        throw new ConsoleRefusal(Response.Status.FORBIDDEN, denial.failure().message());
                    }
                    return entry;
                });
    }
}
