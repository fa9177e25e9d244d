package dev.voicegate.console;

import java.time.Instant;

import dev.voicegate.ledger.ControlEvent;
import dev.voicegate.observability.RecentAudit;
import io.quarkus.qute.TemplateData;

/**
 * One line of the audit page: an operator's control from the ledger (rule {@code control}) or one of this replica's
 * decisions (rule {@code allow}, or the rule that refused). {@code key} is the operator key for a control, the key
 * that was allowed or refused for a decision.
 */
@TemplateData
public record AuditRow(Instant at, String key, String rule, String action, String target, String reason,
        String result) {

    static final String CONTROL = "control";
    static final String ALLOW = "allow";

    static AuditRow of(ControlEvent event) {
        return new AuditRow(event.at(), event.operator(), CONTROL, event.action(), event.target(), event.reason(),
                event.result());
    }

    /** A decision of this replica: rule {@code allow} when it was allowed, else the rule that refused it. */
    static AuditRow of(RecentAudit.Line line) {
        boolean allowed = "allow".equals(line.decision());
        return new AuditRow(line.at(), line.key(), allowed ? ALLOW : line.rule(), line.action(), line.target(), null,
                allowed ? (line.outcome() == null ? "allowed" : line.outcome()) : "refused");
    }

    boolean matches(String byKey, String byRule) {
        return (byKey == null || byKey.equals(key)) && (byRule == null || byRule.equals(rule));
    }
}
