package dev.voicegate.ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One call as the ledger knows it: the attempt, the call SID once known, the attempt's outcome ({@code placed}, an
 * error category, or {@code pending} until known), the timeline, the final details and the relayed callbacks.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LedgerEntry(CallAttempt attempt, String callSid, String outcome, List<StatusEvent> events,
        CallDetails details, List<Delivery> deliveries) {

    public static final String PENDING = "pending";
    public static final String PLACED = "placed";

    /** Timeline order: by time, then Twilio's sequence number. */
    public static final Comparator<StatusEvent> TIMELINE = Comparator.comparing(StatusEvent::at)
            .thenComparing(e -> e.sequence() == null ? -1 : e.sequence());

    /**
     * The current status: the latest final one if any (an earlier event never replaces a final status), else the
     * latest by sequence number among callbacks, or by time. Null before any event.
     */
    public String status() {
        StatusEvent latest = null;
        for (StatusEvent event : events) {
            if (latest == null || later(event, latest)) {
                latest = event;
            }
        }
        return latest == null ? null : latest.status();
    }

    public boolean isFinal() {
        return events.stream().anyMatch(StatusEvent::isFinal);
    }

    public Instant attemptedAt() {
        return attempt.attemptedAt();
    }

    private static boolean later(StatusEvent a, StatusEvent b) {
        if (a.isFinal() != b.isFinal()) {
            return a.isFinal();
        }
        if (a.sequence() != null && b.sequence() != null) {
            return a.sequence() > b.sequence();
        }
        return !a.at().isBefore(b.at());
    }
}
