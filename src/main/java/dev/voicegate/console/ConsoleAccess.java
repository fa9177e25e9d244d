package dev.voicegate.console;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.observability.AuditTrail;

/**
 * Who is signed in: every console request but sign-in passes its session cookie here. The key is looked up again on
 * each request, so a key removed, or no longer an operator, or suspended, loses the console at once. A state-changing
 * request also passes its CSRF token.
 */
@ApplicationScoped
class ConsoleAccess {

    static final URI SIGN_IN = URI.create(Sessions.PATH + "/sign-in");

    private final Sessions sessions;
    private final AccessControl access;
    private final Guard guard;
    private final AuditTrail audit;

    ConsoleAccess(Sessions sessions, AccessControl access, Guard guard, AuditTrail audit) {
        this.sessions = sessions;
        this.access = access;
        this.guard = guard;
        this.audit = audit;
    }

    /** The operator of this session cookie, or a redirect to sign-in. */
    Operator operator(String cookie) {
        Session session = sessions.read(cookie).orElseThrow(SignInRequired::new);
        Caller caller = access.byName(session.key()).orElseThrow(SignInRequired::new);
        try {
            check(caller);
        } catch (PolicyDenial denial) {
            throw new SignInRequired();
        }
        return new Operator(session, caller, sessions.csrf(session));
    }

    /** As {@link #operator}, for a request that changes something: its form's CSRF token must match the session's. */
    Operator operator(String cookie, String csrf, String action) {
        Operator operator = operator(cookie);
        if (!Sessions.equal(operator.csrf(), csrf)) {
            audit.refused(operator.name(), action, null, "csrf");
            throw new ConsoleRefusal(Response.Status.FORBIDDEN, "This form has expired or did not come from the "
                    + "console (its CSRF token does not match). Reload the page and try again.");
        }
        return operator;
    }

    /** Throws {@link PolicyDenial} unless the caller is an operator and not suspended. */
    void check(Caller caller) {
        guard.checkOperator(caller, "sign in to the console");
        guard.checkSuspended(caller);
    }

    /** Not signed in (or no longer allowed): the console answers with a redirect to the sign-in page. */
    static final class SignInRequired extends RuntimeException {
        SignInRequired() {
            super("sign in required", null, false, false);
        }
    }
}
