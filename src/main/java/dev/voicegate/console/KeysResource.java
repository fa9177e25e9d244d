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

import dev.voicegate.Redact;
import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.access.TwilioAccounts;
import dev.voicegate.approval.Approvals;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.RecentDenials;
import dev.voicegate.quota.Quotas;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.suspension.Suspensions;
import dev.voicegate.voice.ControlEvents;
import dev.voicegate.voice.LiveCalls;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The named keys (from the same sources as {@code GET /v1/admin/keys}) and the kill switch: suspend, optionally
 * ending the key's live calls, and resume, as {@code POST /v1/admin/keys/{name}/suspend|resume} do, with the same
 * audit lines ({@code suspend_key}, {@code resume_key}) and control events in the ledger.
 */
@Path("/console/keys")
@Produces(MediaType.TEXT_HTML)
public class KeysResource {

    static final String SUSPEND = "suspend_key";
    static final String RESUME = "resume_key";
    private static final int MAX_REASON = 200;
    private static final Pattern NOTICE = Pattern.compile("^[a-z-]{1,20}$");

    @Location("console/keys.html")
    Template page;

    private final ConsoleAccess console;
    private final AccessControl access;
    private final Suspensions suspensions;
    private final Quotas quotas;
    private final RecentDenials denials;
    private final Approvals approvals;
    private final ActionDispatcher dispatcher;
    private final TwilioAccounts accounts;
    private final LiveCalls liveCalls;
    private final ControlEvents controls;
    private final AuditTrail audit;
    private final Guard guard;

    KeysResource(ConsoleAccess console, AccessControl access, Suspensions suspensions, Quotas quotas,
            RecentDenials denials, Approvals approvals, ActionDispatcher dispatcher, TwilioAccounts accounts,
            LiveCalls liveCalls, ControlEvents controls, AuditTrail audit, Guard guard) {
        this.guard = guard;
        this.console = console;
        this.access = access;
        this.suspensions = suspensions;
        this.quotas = quotas;
        this.denials = denials;
        this.approvals = approvals;
        this.dispatcher = dispatcher;
        this.accounts = accounts;
        this.liveCalls = liveCalls;
        this.controls = controls;
        this.audit = audit;
    }

    @GET
    public Uni<TemplateInstance> list(@RestCookie(Sessions.COOKIE) String session, @RestQuery String done) {
        Operator operator = console.operator(session);
        audit.read(operator.name(), "list_keys", null);
        String notice = done != null && NOTICE.matcher(done).matches() ? done : null;
        List<String> names = access.namedKeys().keySet().stream().sorted().toList();
        Uni<List<KeyRow>> rows = names.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(names.stream().map(name -> row(name, operator.name())).toList()).andFailFast();
        List<String> endable = accounts.accountSids().stream().filter(account -> mayUse(operator, account)).toList();
        return rows.map(all -> page.data("operator", operator).data("section", "keys").data("rows", all)
                .data("accounts", endable).data("notice", notice));
    }

    private Uni<KeyRow> row(String name, String operator) {
        var policy = access.namedKeys().get(name);
        List<String> actions = dispatcher.actions().keySet().stream().filter(policy::allows).toList();
        List<String> on = policy.accounts() != null ? policy.accounts() : accounts.accountSids();
        return quotas.use(name, policy.limits()).onFailure().recoverWithNull()
                .map(use -> KeyRow.of(name, policy, actions, on, approvals.mode(name, true), use,
                        suspensions.of(name).orElse(null), denials.of(name), operator));
    }

    @POST
    @Path("/{name}/suspend")
    public Uni<Response> suspend(@RestPath String name, @RestCookie(Sessions.COOKIE) String session,
            @RestForm String csrf, @RestForm("end_calls") String endCalls, @RestForm String reason) {
        Operator operator = console.operator(session, csrf, SUSPEND);
        named(name);
        if (name.equals(operator.name())) {
            throw new ConsoleRefusal(Response.Status.BAD_REQUEST, "An operator key may not suspend itself (it could "
                    + "not resume itself).");
        }
        String why = reason(reason);
        boolean end = endCalls != null;
        audit.operator(operator.name(), SUSPEND, name);
        Uni<List<LiveCalls.Ended>> ended = end
                ? Uni.createFrom().deferred(() -> liveCalls.end(operator.caller(), name, null))
                : Uni.createFrom().nullItem();
        // Suspended first, so that the key places no new call while its live ones are ended.
        return controls.recorded(suspensions.suspend(name, why, operator.name()).flatMap(s -> ended), SUSPEND,
                operator.caller(), name, why, calls -> "suspended" + (calls == null ? "" : "; " + ended(calls)))
                .onFailure(e -> !(e instanceof ConsoleRefusal)).transform(KeysResource::unavailable)
                .map(calls -> done(calls == null ? "suspended" : "suspended-ended"));
    }

    @POST
    @Path("/{name}/resume")
    public Uni<Response> resume(@RestPath String name, @RestCookie(Sessions.COOKIE) String session,
            @RestForm String csrf) {
        Operator operator = console.operator(session, csrf, RESUME);
        named(name);
        audit.operator(operator.name(), RESUME, name);
        return controls.recorded(suspensions.resume(name), RESUME, operator.caller(), name, null,
                before -> before.isPresent() ? "resumed" : "was not suspended")
                .onFailure(e -> !(e instanceof ConsoleRefusal)).transform(KeysResource::unavailable)
                .map(before -> done(before.isPresent() ? "resumed" : "not-suspended"));
    }

    /** As the REST control's result: how many calls were ended, and how many failed. */
    static String ended(List<LiveCalls.Ended> calls) {
        long failed = calls.stream().filter(call -> !"success".equals(call.outcome().outcome())).count();
        return "ended " + (calls.size() - failed) + " live call(s)" + (failed == 0 ? "" : ", " + failed + " failed");
    }

    private boolean mayUse(Operator operator, String account) {
        try {
            guard.checkAccount(operator.caller(), account);
            return true;
        } catch (PolicyDenial denial) {
            return false;
        }
    }

    private void named(String name) {
        if (name == null || !access.namedKeys().containsKey(name)) {
            throw new ConsoleRefusal(Response.Status.NOT_FOUND, "No configured key has that name.");
        }
    }

    /** The operator's reason, shown to the suspended key: bounded, printable, phone numbers masked. */
    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            throw new ConsoleRefusal(Response.Status.BAD_REQUEST, "The reason must be at most " + MAX_REASON
                    + " characters, on one line.");
        }
        return Redact.phonesIn(reason.strip());
    }

    private static Throwable unavailable(Throwable e) {
        return new ConsoleRefusal(Response.Status.SERVICE_UNAVAILABLE, "The kill switch's store is unreachable, or "
                + "a call could not be ended; reload the page to see the key's state.");
    }

    private static Response done(String notice) {
        return Response.seeOther(URI.create(Sessions.PATH + "/keys?done=" + notice)).build();
    }
}
