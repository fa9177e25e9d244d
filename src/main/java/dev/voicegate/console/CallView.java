package dev.voicegate.console;

import java.util.List;

import dev.voicegate.Redact;
import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.CallDetails;
import dev.voicegate.ledger.LedgerEntry;
import io.quarkus.qute.TemplateData;

/**
 * One call's page: what was asked (the attempt's parameters, {@code to} masked with the full number on hover), the
 * timeline with each event's source, the final details, the recordings, and whether it is still live (End call).
 */
@TemplateData
public record CallView(String callSid, CallAttempt attempt, String toMasked, String status, boolean live,
        String outcome, List<Event> timeline, CallDetails details, List<Transcripts.Recording> recordings, String notice) {

    /** One event of the timeline: when, the status, its source (callback, fetch, update) and who asked (an update's key). */
    @TemplateData
    public record Event(String at, String status, String source, String key) {
    }

    /** The recording SIDs the ledger knows for the call. */
    static List<String> recordingSids(LedgerEntry entry) {
        CallDetails details = entry.details();
        return details == null || details.recordingSids() == null ? List.of() : details.recordingSids();
    }

    static CallView of(LedgerEntry entry, List<Transcripts.Recording> recordings, String notice) {
        List<Event> timeline = entry.events().stream().sorted(LedgerEntry.TIMELINE)
                .map(e -> new Event(e.at().toString(), e.status(), e.source().wire(), e.key())).toList();
        CallDetails details = entry.details();
        String status = entry.status() != null ? entry.status() : entry.outcome();
        return new CallView(entry.callSid(), entry.attempt(), Redact.phone(entry.attempt().to()), status,
                !entry.isFinal(), entry.outcome(), timeline, details, recordings, notice);
    }

}
