package dev.voicegate.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
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
import dev.voicegate.registry.ActionDispatcher;
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
     * {@code operator}) and its effective policy.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Me(String name, String kind, String role, EffectivePolicy policy) {
    }

    /** A caller's policy with every default applied. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EffectivePolicy(List<String> actions, List<String> accounts, List<String> destinations,
            List<String> from, List<String> blockedNumberTypes, List<String> blockedPrefixes, Integer maxCallsPerMinute,
            Integer maxCallsPerHour, Integer maxCallsPerDay, Integer maxRequestsPerMinute) {
    }

    private final AccessControl access;
    private final ActionDispatcher dispatcher;
    private final Guard guard;

    MeResource(AccessControl access, ActionDispatcher dispatcher, Guard guard) {
        this.access = access;
        this.dispatcher = dispatcher;
        this.guard = guard;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The calling key's name and effective policy (no secrets)")
    @SecurityRequirement(name = "serviceKey")
    @SecurityRequirement(name = "twilioBasic")
    @APIResponse(responseCode = "200", description = "The caller, its role and its policy; null means no restriction")
    @APIResponse(responseCode = "401", description = "Not authenticated")
    public Me me(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = access.authenticate(authorization);
        Policy policy = caller.policy();
        Policy.Limits limits = policy.limits();
        List<String> actions = dispatcher.actions().keySet().stream().filter(caller::allows).toList();
        return new Me(caller.name(), caller instanceof Caller.PassThrough ? "pass_through" : "service_key",
                caller.role().wire(), new EffectivePolicy(actions, accounts(caller), policy.destinations(), policy.from(),
                        guard.blockedNumberTypes(), guard.blockedPrefixes(), limits.callsPerMinute(),
                        limits.callsPerHour(), limits.callsPerDay(), limits.requestsPerMinute()));
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
