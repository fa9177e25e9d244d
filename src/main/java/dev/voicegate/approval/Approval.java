package dev.voicegate.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One make_call held for an operator: who asked, what it would call, the request's fingerprint (an approval is
 * good only for those parameters), its state and who decided it. Times are epoch milliseconds.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Approval(String id, String key, String accountSid, String to, String from, String summary,
        String fingerprint, State state, long createdAt, long expiresAt, String decidedBy, Long decidedAt) {

    public enum State {
        PENDING, APPROVED, DENIED
    }

    /** This approval decided by {@code by} at {@code at}. */
    Approval decided(State decision, String by, long at) {
        return new Approval(id, key, accountSid, to, from, summary, fingerprint, decision, createdAt, expiresAt, by, at);
    }
}
