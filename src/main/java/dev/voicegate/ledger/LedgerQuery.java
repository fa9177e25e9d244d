package dev.voicegate.ledger;

import java.time.Instant;

/**
 * A ledger listing: every filter optional (null). {@code status} matches the entry's current status, or its
 * outcome for entries without one ({@code pending}, {@code outcome_unknown}…). {@code since} inclusive,
 * {@code until} exclusive, on the time of the attempt. {@code cursor} is the previous page's {@link LedgerPage#next()}.
 */
public record LedgerQuery(String accountSid, String key, String status, String to, Instant since, Instant until,
        int pageSize, String cursor) {

    public boolean matches(LedgerEntry entry) {
        CallAttempt attempt = entry.attempt();
        if (accountSid != null && !accountSid.equalsIgnoreCase(attempt.accountSid())) {
            return false;
        }
        if (key != null && !key.equals(attempt.key())) {
            return false;
        }
        if (to != null && !to.equals(attempt.to())) {
            return false;
        }
        if (since != null && attempt.attemptedAt().isBefore(since)) {
            return false;
        }
        if (until != null && !attempt.attemptedAt().isBefore(until)) {
            return false;
        }
        if (status != null) {
            String current = entry.status();
            return status.equals(current) || (current == null && status.equals(entry.outcome()));
        }
        return true;
    }
}
