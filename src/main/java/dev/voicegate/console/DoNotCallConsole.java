package dev.voicegate.console;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.voicegate.Redact;
import dev.voicegate.dnc.DoNotCall;
import dev.voicegate.dnc.DoNotCallUnavailableException;
import dev.voicegate.failure.ActionException;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.voice.ControlEvents;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The do-not-call list: a page of it, add a number (with an optional reason) and remove one, through {@link DoNotCall}
 * as {@code /v1/admin/do-not-call} does, with the same audit lines and control events in the ledger (numbers masked).
 */
@Path("/console/do-not-call")
@Produces(MediaType.TEXT_HTML)
public class DoNotCallConsole {

    static final String LIST = "list_do_not_call";
    static final String ADD = "add_do_not_call";
    static final String REMOVE = "remove_do_not_call";
    static final int PAGE_SIZE = 100;
    private static final int MAX_REASON = 500;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern NOTICE = Pattern.compile("^[a-z-]{1,20}$");

    @Location("console/do-not-call.html")
    Template page;

    private final ConsoleAccess console;
    private final DoNotCall list;
    private final AuditTrail audit;
    private final ControlEvents controls;

    DoNotCallConsole(ConsoleAccess console, DoNotCall list, AuditTrail audit, ControlEvents controls) {
        this.controls = controls;
        this.console = console;
        this.list = list;
        this.audit = audit;
    }

    @GET
    public Uni<TemplateInstance> show(@RestCookie(Sessions.COOKIE) String session, @RestQuery String page,
            @RestQuery String done) {
        Operator operator = console.operator(session);
        audit.read(operator.name(), LIST, "page_size=" + PAGE_SIZE);
        String notice = done != null && NOTICE.matcher(done).matches() ? done : null;
        String token = page != null && page.matches("^[0-9a-f]{64}$") ? page : null;
        return list.page(token, PAGE_SIZE).map(found -> this.page.data("operator", operator)
                        .data("section", "do-not-call").data("entries", found.entries()).data("next", found.next() == null ? null
                                : "/console/do-not-call?page=" + found.next())
                        .data("unavailable", false).data("notice", notice))
                .onFailure(DoNotCallUnavailableException.class).recoverWithItem(() -> this.page.data("operator", operator)
                        .data("section", "do-not-call")
                        .data("entries", java.util.List.of()).data("next", null).data("unavailable", true)
                        .data("notice", notice));
    }

    @POST
    @Path("/add")
    public Uni<Response> add(@RestCookie(Sessions.COOKIE) String session, @RestForm String csrf,
            @RestForm String number, @RestForm String reason) {
        Operator operator = console.operator(session, csrf, ADD);
        String e164 = normalised(number);
        String why = reason == null || reason.isBlank() ? null : reason.trim();
        if (why != null && (why.length() > MAX_REASON || CONTROL.matcher(why).find())) {
            throw new ConsoleRefusal(Response.Status.BAD_REQUEST, "The reason must be at most " + MAX_REASON
                    + " characters, on one line.");
        }
        audit.operator(operator.name(), ADD, Redact.phone(e164));
        return recorded(unavailable(list.add(e164, why, operator.name())), ADD, operator, e164, why,
                created -> created ? "added" : "reason replaced").map(created -> done(created ? "added" : "updated"));
    }

    @POST
    @Path("/remove")
    public Uni<Response> remove(@RestCookie(Sessions.COOKIE) String session, @RestForm String csrf,
            @RestForm String number) {
        Operator operator = console.operator(session, csrf, REMOVE);
        String e164 = normalised(number);
        audit.operator(operator.name(), REMOVE, Redact.phone(e164));
        return recorded(unavailable(list.remove(e164)), REMOVE, operator, e164, null,
                removed -> removed ? "removed" : "was not listed").map(removed -> done(removed ? "removed" : "not-listed"));
    }

    private String normalised(String number) {
        try {
            return list.normalise(number == null ? null : number.trim());
        } catch (ActionException e) {
            throw new ConsoleRefusal(Response.Status.BAD_REQUEST, "The number must be in E.164 format, e.g. +14155550123.");
        }
    }

    /** The change as a control event in the ledger, as {@code /v1/admin/do-not-call} records it (the number masked). */
    private Uni<Boolean> recorded(Uni<Boolean> change, String action, Operator operator, String e164, String reason,
            java.util.function.Function<Boolean, String> result) {
        return change.invoke(done -> control(action, operator, e164, reason, result.apply(done)))
                .onFailure().invoke(e -> control(action, operator, e164, reason, "failed: upstream_unavailable"));
    }

    private void control(String action, Operator operator, String e164, String reason, String result) {
        controls.record(action, operator.caller(), Redact.phone(e164), reason, result);
    }

    private static <T> Uni<T> unavailable(Uni<T> change) {
        return change.onFailure(DoNotCallUnavailableException.class).transform(e -> new ConsoleRefusal(
                Response.Status.SERVICE_UNAVAILABLE, "The do-not-call list's store is unreachable; nothing was changed."));
    }

    private static Response done(String notice) {
        return Response.seeOther(URI.create(Sessions.PATH + "/do-not-call?done="
                + URLEncoder.encode(notice, StandardCharsets.UTF_8))).build();
    }
}
