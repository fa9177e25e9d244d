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

    /** Whether {@code id} has an approval id's shape: "AP", then a random UUID's 32 lower-case hex digits. */
    public static boolean isId(String id) {
        return id != null && id.length() == 34 && id.startsWith("AP")
                && id.chars().skip(2).allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** This approval decided by {@code by} at {@code at}. */
    Approval decided(State decision, String by, long at) {
        return new Approval(id, key, accountSid, to, from, summary, fingerprint, decision, createdAt, expiresAt, by, at);
    }
}
