package dev.voicegate.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Guard;
import dev.voicegate.access.Policy;
import dev.voicegate.access.TwilioAccounts;
import dev.voicegate.approval.Approvals;
import dev.voicegate.observability.RecentDenials;
import dev.voicegate.quota.Quotas;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.suspension.Suspensions;
import io.smallrye.mutiny.Uni;

/**
 * A named key as the operator controls show it: role, effective policy (as {@code /v1/me}), state, quota use (read
 * from the shared quota store without taking anything; null when that store does not answer) and the recent denials
 * this replica saw.
 */
@ApplicationScoped
class KeyStates {

    private final AccessControl access;
    private final Guard guard;
    private final Suspensions suspensions;
    private final ActionDispatcher dispatcher;
    private final TwilioAccounts accounts;
    private final Quotas quotas;
    private final RecentDenials denials;
    private final Approvals approvals;

    KeyStates(AccessControl access, Guard guard, Suspensions suspensions, ActionDispatcher dispatcher,
            TwilioAccounts accounts, Quotas quotas, RecentDenials denials, Approvals approvals) {
        this.access = access;
        this.guard = guard;
        this.suspensions = suspensions;
        this.dispatcher = dispatcher;
        this.accounts = accounts;
        this.quotas = quotas;
        this.denials = denials;
        this.approvals = approvals;
    }

    /** Every named key, in configuration order. */
    Uni<List<AdminViews.KeyState>> all() {
        List<String> names = List.copyOf(access.namedKeys().keySet());
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(names.stream().map(this::of).toList()).andFailFast();
    }

    /** A configured key's state (the name must be one). */
    Uni<AdminViews.KeyState> of(String name) {
        Policy policy = access.namedKeys().get(name);
        return quotas.use(name, policy.limits())
                .map(use -> use.stream().map(AdminViews.Quota::of).toList())
                .onFailure().recoverWithNull()
                .map(use -> state(name, policy, use));
    }

    private AdminViews.KeyState state(String name, Policy policy, List<AdminViews.Quota> quotaUse) {
        List<String> actions = dispatcher.actions().keySet().stream().filter(policy::allows).toList();
        var effective = MeResource.EffectivePolicy.of(policy, actions,
                policy.accounts() != null ? policy.accounts() : accounts.accountSids(), guard, approvals.mode(name, true));
        var suspension = suspensions.of(name).orElse(null);
        return new AdminViews.KeyState(name, policy.role().wire(), effective, suspension == null ? "active" : "suspended",
                AdminViews.Suspended.of(suspension), quotaUse, AdminViews.Denials.of(denials.of(name)));
    }
}
