package dev.voicegate.ledger;

import java.time.Instant;

import dev.voicegate.Redact;

/**
 * One operator control, as the ledger keeps it: {@code action} (e.g. {@code suspend_key}, {@code end_all_calls},
 * {@code approve_call}, {@code add_do_not_call}), the operator key's name, the {@code target} (a key's name, an
 * approval id, a masked number, an account SID), the operator's {@code reason} if any, and the {@code result}. Phone
 * numbers in the target and the reason are masked here, whatever the caller passed.
 */
public record ControlEvent(Instant at, String action, String operator, String target, String reason, String result) {

    public ControlEvent {
        target = Redact.phonesIn(target);
        reason = Redact.phonesIn(reason);
    }

    /** An event that happens now. */
    public static ControlEvent now(String action, String operator, String target, String reason, String result) {
        return new ControlEvent(Instant.now(), action, operator, target, reason, result);
    }
}
