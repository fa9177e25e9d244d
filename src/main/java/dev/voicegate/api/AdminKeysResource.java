package dev.voicegate.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
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

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.Redact;
import dev.voicegate.Sid;
import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.PolicyMetrics;
import dev.voicegate.registry.InputParser;
import dev.voicegate.suspension.Suspensions;
import dev.voicegate.voice.ControlEvents;
import dev.voicegate.voice.LiveCalls;
import dev.voicegate.voice.Rules;
import io.smallrye.mutiny.Uni;

/**
 * The operator controls (operator keys only, as the ledger): the named keys and their state, the kill switch per key
 * (suspend, resume) shared by every replica, and ending every live call of an account. Any other caller gets
 * {@code forbidden} (rule {@code role}); every switch and every refusal leaves an audit line.
 */
@Path("/v1/admin")
@Tag(name = "Admin", description = "Operator controls: keys, the kill switch per key, ending live calls")
@SecurityRequirement(name = "serviceKey")
@SecurityRequirement(name = "twilioBasic")
public class AdminKeysResource {

    private static final int MAX_REASON = 200;
    /**
     * end-all's query, read strictly: a missing, empty or misspelt {@code account_sid} must not widen "every live call
     * of this account" to every account.
     */
    static final StrictQuery END_ALL_QUERY = new StrictQuery(
            StrictQuery.text("account_sid", "The account whose live calls to end (required)"));

    private final AccessControl access;
    private final Guard guard;
    private final Suspensions suspensions;
    private final LiveCalls liveCalls;
    private final KeyStates keys;
    private final ControlEvents controls;
    private final InputParser parser;
    private final AuditTrail audit;
    private final PolicyMetrics metrics;

    AdminKeysResource(AccessControl access, Guard guard, Suspensions suspensions, LiveCalls liveCalls, KeyStates keys,
            ControlEvents controls, InputParser parser, AuditTrail audit, PolicyMetrics metrics) {
        this.access = access;
        this.guard = guard;
        this.suspensions = suspensions;
        this.liveCalls = liveCalls;
        this.keys = keys;
        this.controls = controls;
        this.parser = parser;
        this.audit = audit;
        this.metrics = metrics;
    }

    @GET
    @Path("/keys")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every named key: its role, effective policy, state (active or suspended), quota use and "
            + "recent denials")
    public Uni<AdminViews.Keys> listAdminKeys(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri) {
        Caller caller = operator(authorization, "list_keys", null);
        noQuery(uri);
        audit.read(caller.name(), "list_keys", null);
        return keys.all().map(all -> new AdminViews.Keys(true, null, all));
    }

    @POST
    @Path("/keys/{name}/suspend")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Suspends a key on every replica; optionally ends its live calls")
    @APIResponse(responseCode = "200", description = "The key's state, and the calls ended if asked",
            content = @Content(schema = @Schema(implementation = AdminViews.Switched.class)))
    @APIResponse(responseCode = "404", description = "not_found: no configured key has that name")
    public Uni<AdminViews.Switched> suspendKey(@RestPath String name,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType, @Context UriInfo uri, String body) {
        Caller caller = operator(authorization, "suspend_key", null);
        noQuery(uri);
        named(name);
        if (name.equals(caller.name())) {
            throw ActionException.invalid("an operator key may not suspend itself (it could not resume itself)");
        }
        JsonNode params = body == null || body.isBlank() ? null : parser.readBody(contentType, body);
        boolean endCalls = bool(params);
        String reason = reason(params);
        audit.operator(caller.name(), "suspend_key", name);
        Uni<List<AdminViews.EndedCall>> ended = endCalls
                ? Uni.createFrom().deferred(() -> liveCalls.end(caller, name, null)).map(AdminViews.EndedCall::of)
                : Uni.createFrom().nullItem();
        // Suspended first, so that the key places no new call while its live ones are ended.
        Uni<List<AdminViews.EndedCall>> switched = suspensions.suspend(name, reason, caller.name()).flatMap(s -> ended);
        return controls.recorded(switched, "suspend_key", caller, name, reason, calls -> "suspended"
                + (calls == null ? "" : "; " + ended(calls)))
                .flatMap(calls -> keys.of(name).map(state -> new AdminViews.Switched(true, null, state, true, calls)));
    }

    @POST
    @Path("/keys/{name}/resume")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resumes a suspended key on every replica")
    @APIResponse(responseCode = "200", description = "The key's state",
            content = @Content(schema = @Schema(implementation = AdminViews.Switched.class)))
    @APIResponse(responseCode = "404", description = "not_found: no configured key has that name")
    public Uni<AdminViews.Switched> resumeKey(@RestPath String name,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        Caller caller = operator(authorization, "resume_key", null);
        noQuery(uri);
        named(name);
        audit.operator(caller.name(), "resume_key", name);
        return controls.recorded(suspensions.resume(name), "resume_key", caller, name, null,
                before -> before.isPresent() ? "resumed" : "was not suspended")
                .flatMap(before -> keys.of(name).map(state -> new AdminViews.Switched(true, null, state,
                        before.isPresent(), null)));
    }

    @POST
    @Path("/calls/end-all")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ends every live call Voicegate placed on the account, according to the call ledger")
    public Uni<AdminViews.EndedAll> endAllCalls(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri) {
        Caller caller = operator(authorization, "end_all_calls", null);
        JsonNode query = END_ALL_QUERY.read(uri.getQueryParameters());
        String accountSid = query.has("account_sid") ? query.get("account_sid").asText() : null;
        if (accountSid == null) {
            throw ActionException.invalid("'account_sid' is required: the account whose live calls to end");
        }
        Rules.sid("account_sid", accountSid, Sid.ACCOUNT);
        check(caller, "end_all_calls", accountSid, () -> guard.checkAccount(caller, accountSid));
        audit.operator(caller.name(), "end_all_calls", accountSid);
        return controls.recorded(liveCalls.end(caller, null, accountSid).map(AdminViews.EndedCall::of), "end_all_calls", caller, accountSid, null,
                AdminKeysResource::ended).map(calls -> new AdminViews.EndedAll(true, null, accountSid, calls));
    }

    /** The result of ending live calls, for the ledger: how many, and how many failed. */
    private static String ended(List<AdminViews.EndedCall> calls) {
        long failed = calls.stream().filter(call -> !"success".equals(call.outcome())).count();
        return "ended " + (calls.size() - failed) + " live call(s)" + (failed == 0 ? "" : ", " + failed + " failed");
    }

    /** The operator behind the header, not itself suspended; else {@code forbidden}, counted and audited. */
    private Caller operator(String authorization, String action, String target) {
        Caller caller = access.authenticate(authorization);
        check(caller, action, target, () -> guard.checkOperator(caller, "use the operator controls"));
        return caller;
    }

    private static void noQuery(UriInfo uri) {
        if (!uri.getQueryParameters().isEmpty()) {
            throw ActionException.invalid("this endpoint takes no query parameters");
        }
    }

    private void named(String name) {
        if (!access.namedKeys().containsKey(name)) {
            throw new ActionException(new ActionFailure(ErrorCategory.NOT_FOUND, "no configured key has that name "
                    + "(GET /v1/admin/keys lists them). Retrying will not help."));
        }
    }

    private static boolean bool(JsonNode params) {
        JsonNode value = params == null ? null : params.get("end_active_calls");
        if (value != null && !value.isBoolean()) {
            throw ActionException.invalid("'end_active_calls' must be true or false");
        }
        if (params != null) {
            params.fieldNames().forEachRemaining(field -> {
                if (!Map.of("end_active_calls", 1, "reason", 1).containsKey(field)) {
                    throw ActionException.invalid("unknown parameter; this endpoint takes 'end_active_calls' and 'reason'");
                }
            });
        }
        return value != null && value.asBoolean();
    }

    /** The operator's reason, shown to the suspended key: bounded, printable, phone numbers masked. */
    private static String reason(JsonNode params) {
        JsonNode value = params == null ? null : params.get("reason");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > MAX_REASON || value.asText().chars().anyMatch(Character::isISOControl)) {
            throw ActionException.invalid("'reason' must be text of at most " + MAX_REASON + " characters, without "
                    + "control characters");
        }
        return Redact.phonesIn(value.asText().strip());
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
}
