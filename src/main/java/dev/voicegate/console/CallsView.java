package dev.voicegate.console;

import java.util.List;

import io.quarkus.qute.TemplateData;

/** What the calls page shows: rows and the next page's link, or why there are none (a refused account, a ledger down). */
@TemplateData
public record CallsView(CallFilters filters, List<CallRow> rows, String next, String problem) {

    /** The status filter's choices: Twilio's call statuses, and {@code pending} for an attempt not yet answered. */
    static final List<String> STATUSES = List.of("queued", "initiated", "ringing", "in-progress", "completed", "busy",
            "no-answer", "failed", "canceled", "pending");

    public List<String> statuses() {
        return STATUSES;
    }
}
