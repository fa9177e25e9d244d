package dev.voicegate.console;

import java.time.Instant;

import dev.voicegate.ledger.ControlEvent;
import dev.voicegate.observability.RecentDenials;
import io.quarkus.qute.TemplateData;

/**
 * One line of the audit page: an operator's control from the ledger (rule {@code control}) or a refusal with the rule
 * that refused it. {@code key} is the operator key for a control, the refused key for a refusal.
 */
@TemplateData
public record AuditRow(Instant at, String key, String rule, String action, String target, String reason,
        String result) {

    static final String CONTROL = "control";

    static AuditRow of(ControlEvent event) {
        return new AuditRow(event.at(), event.operator(), CONTROL, event.action(), event.target(), event.reason(),
                event.result());
    }

    static AuditRow of(String key, RecentDenials.Denial denial) {
        return new AuditRow(denial.at(), key, denial.rule(), denial.action(), null, null, "refused");
    }

    boolean matches(String byKey, String byRule) {
        return (byKey == null || byKey.equals(key)) && (byRule == null || byRule.equals(rule));
    }
}
