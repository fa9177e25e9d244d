package dev.voicegate.console;

import dev.voicegate.Redact;
import dev.voicegate.ledger.CallDetails;
import dev.voicegate.ledger.LedgerEntry;
import io.quarkus.qute.TemplateData;

/**
 * One row of the calls page: {@code to} masked, with the full number for the hover title; {@code status} the
 * call's current status, or the attempt's outcome before the first event ({@code pending}, an error category).
 */
@TemplateData
public record CallRow(String callSid, String id, String at, String key, String toMasked, String to, String from,
        String status, boolean live, String duration, String price, String outcome) {

    static CallRow of(LedgerEntry entry) {
        var attempt = entry.attempt();
        CallDetails details = entry.details();
        String status = entry.status() != null ? entry.status() : entry.outcome();
        return new CallRow(entry.callSid(), attempt.id(), attempt.attemptedAt().toString(), attempt.key(),
                Redact.phone(attempt.to()), attempt.to(), attempt.from(), status,
                entry.callSid() != null && !entry.isFinal(),
                details == null || details.duration() == null ? null : details.duration() + " s",
                details == null || details.price() == null ? null
                        : details.price() + (details.priceUnit() == null ? "" : " " + details.priceUnit()),
                entry.outcome());
    }
}
