package dev.voicegate.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.voicegate.access.Policy;
import dev.voicegate.access.Role;
import dev.voicegate.approval.Approvals;
import dev.voicegate.observability.RecentDenials;
import dev.voicegate.quota.QuotaUse;
import dev.voicegate.suspension.Suspension;
import io.quarkus.qute.TemplateData;

/**
 * A named key as the keys page shows it: role, its policy in words, quota use (null: the quota store did not answer),
 * state and the refusals this replica saw. Never the key or its hash.
 */
@TemplateData
public record KeyRow(String name, String role, List<String> policy, List<QuotaUse> quotas, boolean suspended,
        String suspendedBy, String suspendedReason, Instant suspendedSince, String deniedLastHour,
        List<RecentDenials.Denial> latestDenials, boolean self) {

    static KeyRow of(String name, Policy policy, List<String> actions, List<String> accounts, Approvals.Mode approval,
            List<QuotaUse> quotas, Suspension suspension, RecentDenials.Summary denials, String operator) {
        String lastHour = denials.lastHour().entrySet().stream().map(e -> e.getValue() + " × " + e.getKey())
                .collect(Collectors.joining(", "));
        return new KeyRow(name, policy.role().wire(), words(policy, actions, accounts, approval), quotas,
                suspension != null, suspension == null ? null : suspension.by(),
                suspension == null ? null : suspension.reason(), suspension == null ? null : suspension.since(),
                lastHour.isEmpty() ? "none" : lastHour, denials.latest(), name.equals(operator));
    }

    /** The effective policy as short sentences, the same facts {@code GET /v1/admin/keys} lists. */
    private static List<String> words(Policy policy, List<String> actions, List<String> accounts,
            Approvals.Mode approval) {
        List<String> words = new ArrayList<>();
        words.add("May run " + (actions.isEmpty() ? "no action" : String.join(", ", actions)) + ".");
        words.add("On " + (accounts.isEmpty() ? "no account" : String.join(", ", accounts)) + ".");
        words.add(policy.destinations() == null || policy.destinations().isEmpty() ? "Calls any allowed destination."
                : "Calls only " + String.join(", ", policy.destinations()) + ".");
        if (policy.from() != null && !policy.from().isEmpty()) {
            words.add("From " + String.join(", ", policy.from()) + ".");
        }
        Policy.Limits limits = policy.limits();
        List<String> caps = new ArrayList<>();
        cap(caps, limits.callsPerMinute(), "call", "a minute");
        cap(caps, limits.callsPerHour(), "call", "an hour");
        cap(caps, limits.callsPerDay(), "call", "a day");
        cap(caps, limits.requestsPerMinute(), "request", "a minute");
        words.add(caps.isEmpty() ? "No quota." : "At most " + String.join(", ", caps) + ".");
        words.add(switch (approval) {
            case NEVER -> "Needs no approval.";
            case NEW_NUMBERS -> "Needs approval to call a new number.";
            case ALWAYS -> "Needs approval for every call.";
        });
        if (policy.callingHours() != null) {
            words.add("Calls only " + policy.callingHours() + " in the called party's time.");
        }
        if (policy.role() == Role.OPERATOR || policy.endAnyCall()) {
            words.add("May end calls it did not place.");
        }
        return words;
    }

    private static void cap(List<String> caps, Integer limit, String what, String per) {
        if (limit != null) {
            caps.add(limit + " " + what + (limit == 1 ? " " : "s ") + per);
        }
    }
}
