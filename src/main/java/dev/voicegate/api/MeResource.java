package dev.voicegate.api;

import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.Policy;
import dev.voicegate.access.Role;
import dev.voicegate.approval.Approvals;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.suspension.Suspension;
import dev.voicegate.suspension.Suspensions;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /v1/me}: the calling key's name and effective policy, so that an agent learns what it may do before it
 * tries. Never a secret or hash. Lists are what is allowed; null means "no restriction".
 */
@Path("/v1/me")
@Tag(name = "Access", description = "Who is calling, and what it may do")
public class MeResource {

    /**
     * The caller: a key's name ({@code pass-through} for Basic-auth credentials), its role ({@code agent} or
     * {@code operator}), its effective policy, and its state: {@code suspended} while an operator has suspended it
     * (every request but this one is then refused), as {@code GET /v1/admin/keys} shows it.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Me(String name, String kind, String role, EffectivePolicy policy,
            @Schema(enumeration = { "active", "suspended" }) String state,
            @Schema(description = "Why, by which operator key and since when it is suspended; null while active")
            AdminViews.Suspended suspension) {
    }

    /**
     * A caller's policy with every default applied. {@code callingHours} is the window in the called party's local
     * time ({@code HH:mm-HH:mm}, null: any time) and {@code callingHoursSetting} the setting it comes from (or would).
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EffectivePolicy(List<String> actions, List<String> accounts, List<String> destinations,
            List<String> from, List<String> blockedNumberTypes, List<String> blockedPrefixes, Integer maxCallsPerMinute,
            Integer maxCallsPerHour, Integer maxCallsPerDay, Integer maxRequestsPerMinute,
            @Schema(description = "end_call may end calls this key did not place (operators: always)") boolean endAnyCall,
            @Schema(enumeration = { "never", "new-numbers", "always" }) String approval,
            @Schema(description = "HH:mm-HH:mm in the called party's local time; null: any time") String callingHours,
            @Schema(description = "The setting the calling hours come from") String callingHoursSetting) {

        /** The policy as callers see it; {@code accounts} and {@code actions} already resolved. */
        static EffectivePolicy of(Policy policy, List<String> actions, List<String> accounts, Guard guard,
                Approvals.Mode approval) {
            Policy.Limits limits = policy.limits();
            return new EffectivePolicy(actions, accounts, policy.destinations(), policy.from(),
                    guard.blockedNumberTypes(), guard.blockedPrefixes(), limits.callsPerMinute(), limits.callsPerHour(),
                    limits.callsPerDay(), limits.requestsPerMinute(),
                    policy.role() == Role.OPERATOR || policy.endAnyCall(),
                    approval.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    policy.callingHours() == null ? null : policy.callingHours().toString(), policy.callingHoursSetting());
        }
    }

    private final AccessControl access;
    private final ActionDispatcher dispatcher;
    private final Guard guard;
    private final Approvals approvals;
    private final Suspensions suspensions;

    MeResource(AccessControl access, ActionDispatcher dispatcher, Guard guard, Approvals approvals,
            Suspensions suspensions) {
        this.access = access;
        this.dispatcher = dispatcher;
        this.guard = guard;
        this.approvals = approvals;
        this.suspensions = suspensions;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The calling key's name and effective policy (no secrets)")
    @SecurityRequirement(name = "serviceKey")
    @SecurityRequirement(name = "twilioBasic")
    @APIResponse(responseCode = "200", description = "The caller, its role, its policy (null means no restriction) and "
            + "whether it is suspended")
    @APIResponse(responseCode = "401", description = "Not authenticated")
    public Me me(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        // Not refused while suspended: this is where a suspended key learns why.
        Caller caller = access.authenticate(authorization);
        Policy policy = caller.policy();
        List<String> actions = dispatcher.actions().keySet().stream().filter(caller::allows).toList();
        Suspension suspension = policy.named() ? suspensions.of(caller.name()).orElse(null) : null;
        return new Me(caller.name(), caller instanceof Caller.PassThrough ? "pass_through" : "service_key",
                caller.role().wire(), EffectivePolicy.of(policy, actions, accounts(caller), guard,
                        approvals.mode(caller.name(), policy.named())),
                suspension == null ? "active" : "suspended", AdminViews.Suspended.of(suspension));
    }

    /** The accounts it may use: its own list, else those it has credentials for (any, for a Twilio API key). */
    private static List<String> accounts(Caller caller) {
        if (caller.policy().accounts() != null) {
            return caller.policy().accounts();
        }
        if (caller instanceof Caller.PassThrough own) {
            return own.username().startsWith("AC") ? List.of(own.username()) : null;
        }
        return ((Caller.ServiceKeyHolder) caller).accounts().accountSids();
    }
}
