package dev.voicegate.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.suspension.Suspension;
import dev.voicegate.voice.OperatorEnding;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answers of the operator controls ({@link AdminKeysResource}). */
final class AdminViews {

    private AdminViews() {
    }

    /** A named key: its role, effective policy (as {@code /v1/me} shows it) and state. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyState(String name, String role, MeResource.EffectivePolicy policy, String state, Suspended suspension) {
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
    }
}
