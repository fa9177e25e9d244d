package dev.voicegate.console;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

import dev.voicegate.Sid;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.voice.ControlEvents;
import dev.voicegate.voice.LiveCalls;
import io.smallrye.mutiny.Uni;

/**
 * The emergency stop of an account, from the keys page: every call the ledger shows as live on it is ended, whichever
 * key placed it, as {@code POST /v1/admin/calls/end-all} does, with the same audit line ({@code end_all_calls}) and
 * control event in the ledger.
 */
@Path("/console/calls/end-all")
public class EndAllResource {

    static final String END_ALL = "end_all_calls";

    private final ConsoleAccess console;
    private final Guard guard;
    private final LiveCalls liveCalls;
    private final ControlEvents controls;
    private final AuditTrail audit;

    EndAllResource(ConsoleAccess console, Guard guard, LiveCalls liveCalls, ControlEvents controls, AuditTrail audit) {
        this.console = console;
        this.guard = guard;
        this.liveCalls = liveCalls;
        this.controls = controls;
        this.audit = audit;
    }

    @POST
    public Uni<Response> endAll(@RestCookie(Sessions.COOKIE) String session, @RestForm String csrf,
            @RestForm("account_sid") String accountSid) {
        Operator operator = console.operator(session, csrf, END_ALL);
        String account = accountSid == null ? "" : accountSid.strip();
        if (!Sid.ACCOUNT.matches(account)) {
            throw new ConsoleRefusal(Response.Status.BAD_REQUEST, "That is not an account SID (" + Sid.ACCOUNT.shape()
                    + ").");
        }
        try {
            guard.checkAccount(operator.caller(), account);
        } catch (PolicyDenial denial) {
            audit.refused(operator.name(), END_ALL, account, denial.rule());
            throw new ConsoleRefusal(Response.Status.FORBIDDEN, denial.failure().message());
        }
        audit.operator(operator.name(), END_ALL, account);
        return controls.recorded(liveCalls.end(operator.caller(), null, account), END_ALL, operator.caller(), account,
                null, KeysResource::ended)
                .onFailure(e -> !(e instanceof ConsoleRefusal)).transform(e -> new ConsoleRefusal(
                        Response.Status.SERVICE_UNAVAILABLE, "The call ledger's store is unreachable, or a call could "
                                + "not be ended; the audit page shows what was done."))
                .map(EndAllResource::done);
    }

    private static Response done(List<LiveCalls.Ended> calls) {
        long failed = calls.stream().filter(call -> !"success".equals(call.outcome().outcome())).count();
        String notice = calls.isEmpty() ? "none-live" : failed == 0 ? "ended-all" : "ended-some";
        return Response.seeOther(URI.create(Sessions.PATH + "/keys?done=" + notice)).build();
    }
}
