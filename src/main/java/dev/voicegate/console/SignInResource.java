package dev.voicegate.console;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.failure.ActionException;
import dev.voicegate.observability.AuditTrail;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * Signing in and out. Only an operator key opens a session: an agent key, an unknown key or a suspended operator is
 * refused with the reason, and every attempt leaves an audit line. The sign-in form carries a CSRF token of its own,
 * bound to a nonce cookie (double submit), since there is no session yet.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    static final String SIGN_IN = "console_sign_in";
    static final String SIGN_OUT = "console_sign_out";
    private static final URI CALLS = URI.create(Sessions.PATH + "/calls");

    @Location("console/sign-in.html")
    Template page;

    private final Sessions sessions;
    private final ConsoleAccess console;
    private final AccessControl access;
    private final AuditTrail audit;

    SignInResource(Sessions sessions, ConsoleAccess console, AccessControl access, AuditTrail audit) {
        this.sessions = sessions;
        this.console = console;
        this.access = access;
        this.audit = audit;
    }

    @GET
    public Response home() {
        return Response.seeOther(CALLS).build();
    }

    @GET
    @Path("/sign-in")
    public Response form(@RestCookie(Sessions.COOKIE) String session) {
        try {
            console.operator(session); // still an operator: already signed in
            return Response.seeOther(CALLS).build();
        } catch (ConsoleAccess.SignInRequired e) { // no session, or its key may no longer sign in (no redirect loop)
            return form(Response.Status.OK, null);
        }
    }

    @POST
    @Path("/sign-in")
    public Response signIn(@RestForm String key, @RestForm String csrf, @RestCookie(Sessions.PRE_COOKIE) String nonce) {
        if (nonce == null || !Sessions.equal(sessions.preCsrf(nonce), csrf)) {
            audit.refused(null, SIGN_IN, null, "csrf");
            return form(Response.Status.FORBIDDEN, "The sign-in form expired or did not come from this page. Try again.");
        }
        Caller caller;
        try {
            caller = access.authenticate(key == null || key.isBlank() || key.length() > 256 ? null : "Bearer " + key);
        } catch (ActionException e) {
            audit.refused(null, SIGN_IN, null, "key");
            return form(Response.Status.UNAUTHORIZED, "That is not a valid key.");
        }
        try {
            console.check(caller);
        } catch (PolicyDenial denial) {
            audit.refused(caller.name(), SIGN_IN, null, denial.rule());
            return form(Response.Status.FORBIDDEN, "role".equals(denial.rule())
                    ? "Only operator keys may sign in to the console; '" + caller.name() + "' is an agent key."
                    : "Key '" + caller.name() + "' may not sign in: it is suspended.");
        }
        audit.operator(caller.name(), SIGN_IN, null);
        return Response.seeOther(CALLS).cookie(sessions.sessionCookie(sessions.open(caller.name())),
                sessions.expired(Sessions.PRE_COOKIE)).build();
    }

    @POST
    @Path("/sign-out")
    public Response signOut(@RestCookie(Sessions.COOKIE) String session, @RestForm String csrf) {
        Operator operator = console.operator(session, csrf, SIGN_OUT);
        audit.operator(operator.name(), SIGN_OUT, null);
        return Response.seeOther(ConsoleAccess.SIGN_IN).cookie(sessions.expired(Sessions.COOKIE)).build();
    }

    private Response form(Response.Status status, String message) {
        String nonce = Sessions.nonce();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .cookie(sessions.preCookie(nonce))
                .entity(page.data("csrf", sessions.preCsrf(nonce)).data("message", message).data("operator", null).render())
                .build();
    }
}
