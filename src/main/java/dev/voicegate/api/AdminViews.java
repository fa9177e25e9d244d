package dev.voicegate.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.observability.RecentDenials;
import dev.voicegate.quota.QuotaUse;
import dev.voicegate.suspension.Suspension;
import dev.voicegate.voice.LiveCalls;
import dev.voicegate.voice.OperatorEnding;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answers of the operator controls ({@link AdminKeysResource}, {@link KeyStates}). */
final class AdminViews {

    private AdminViews() {
    }

    /**
     * A named key: its role, effective policy (as {@code /v1/me} shows it), state, quota use (empty without quotas,
     * null when the quota store does not answer) and recent denials (this replica's).
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyState(String name, String role, MeResource.EffectivePolicy policy, String state, Suspended suspension,
            List<Quota> quotaUse, Denials recentDenials) {
    }

    /** One quota window (e.g. {@code calls-per-hour}): how many are counted in it now, of its limit. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Quota(String window, int used, int limit) {

        static Quota of(QuotaUse use) {
            return new Quota(use.window(), use.used(), use.limit());
        }
    }

    /** A key's refusals on this replica: per rule in the last hour, and the latest few, newest first. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Denials(Map<String, Integer> lastHour, List<Denial> latest) {

        static Denials of(RecentDenials.Summary summary) {
            return new Denials(summary.lastHour(), summary.latest().stream()
                    .map(d -> new Denial(d.at(), d.rule(), d.action())).toList());
        }
    }

    /** One refusal: when, by which rule, of which action. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Denial(Instant at, String rule, String action) {
    }

    /** Why, by which operator key, and since when a key is suspended. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Suspended(String reason, String suspendedBy, Instant since) {

        static Suspended of(Suspension s) {
            return s == null ? null : new Suspended(s.reason(), s.by(), s.since());
        }
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Keys(boolean success, String error, List<KeyState> keys) {
    }

    /** A suspend or resume: the key's state after it and, when asked for, the calls it ended. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Switched(boolean success, String error, KeyState key, boolean changed, List<EndedCall> endedCalls) {
    }

    /** Every live call of an account, ended. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record EndedAll(boolean success, String error, String accountSid, List<EndedCall> endedCalls) {
    }

    /** One call a control tried to end: {@code outcome} is {@code success} or an error category. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record EndedCall(String callSid, String accountSid, String outcome, String status, Boolean endedByThisRequest,
            String error) {

        static EndedCall of(String accountSid, OperatorEnding.Outcome o) {
            return new EndedCall(o.callSid(), accountSid, o.outcome(), o.status(), o.endedByThisRequest(), o.error());
        }

        static List<EndedCall> of(List<LiveCalls.Ended> ended) {
            return ended == null ? null : ended.stream().map(e -> of(e.accountSid(), e.outcome())).toList();
        }
    }
}
