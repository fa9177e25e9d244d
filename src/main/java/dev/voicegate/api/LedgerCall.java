package dev.voicegate.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.CallDetails;
import dev.voicegate.ledger.Delivery;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.StatusEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One ledger entry as an operator reads it: the attempt, its outcome, the current status and the timeline, the final
 * call's details (null until fetched) and the relayed callbacks. Numbers are in clear: only operators read this.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(description = "A call Voicegate placed or attempted. call_sid is null while the outcome is unknown; status is "
        + "null before any event.")
public record LedgerCall(String callSid, String accountSid, String key, String surface, String to, String from,
        String url, String twiml, String idempotencyKey, String requestId, String traceId, Instant attemptedAt,
        @Schema(description = "placed, pending (not known yet) or the error category of the attempt") String outcome,
        String status, List<Event> events, String duration, String price, String priceUnit, String answeredBy,
        List<String> recordingSids, List<Delivery> deliveries) {

    /**
     * One status of the timeline: Twilio's SequenceNumber for callbacks, where it came from, and for an update
     * (end_call) the key that asked.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "LedgerEvent")
    public record Event(String status, Instant at, Integer sequence,
            @Schema(enumeration = { "callback", "fetch", "update" }) String source,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "The key that asked for an update")
            String key) {
    }

    /** {@code GET /v1/ledger/calls/{call_sid}}: the envelope, then the entry's fields. */
    @RegisterForReflection
    @Schema(name = "LedgerCallOutput")
    public record Output(boolean success, String error, @JsonUnwrapped LedgerCall call) {
    }

    static LedgerCall of(LedgerEntry entry) {
        CallAttempt attempt = entry.attempt();
        CallDetails details = entry.details();
        List<Event> events = entry.events().stream().sorted(LedgerEntry.TIMELINE).map(LedgerCall::event).toList();
        return new LedgerCall(entry.callSid(), attempt.accountSid(), attempt.key(), attempt.surface(), attempt.to(),
                attempt.from(), attempt.url(), attempt.twiml(), attempt.idempotencyKey(), attempt.requestId(),
                attempt.traceId(), attempt.attemptedAt(), entry.outcome(), entry.status(), events,
                details == null ? null : details.duration(), details == null ? null : details.price(),
                details == null ? null : details.priceUnit(), details == null ? null : details.answeredBy(),
                details == null ? null : details.recordingSids(), entry.deliveries());
    }

    private static Event event(StatusEvent event) {
        return new Event(event.status(), event.at(), event.sequence(), event.source().wire(), event.key());
    }
}
