package dev.voicegate.voice;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.observability.RequestIds;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * make_call's entries in the call ledger: the attempt just before it is sent, then its outcome. Neither waits for
 * the ledger's store nor can fail the call ({@link Ledger}).
 */
@ApplicationScoped
class MakeCallLedger {

    private final Ledger ledger;

    MakeCallLedger(Ledger ledger) {
        this.ledger = ledger;
    }

    /** Records the attempt; returns its ledger id. */
    String attempted(MakeCallInput input, ActionContext context, boolean callbacks) {
        SpanContext span = Span.current().getSpanContext();
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        CallAttempt attempt = new CallAttempt(UUID.randomUUID().toString(), input.accountSid(), context.caller().name(),
                context.surface().tag(), input.to(), input.from(), input.url(), input.twiml(), input.idempotencyKey(),
                requestId == null ? null : requestId.toString(), span.isValid() ? span.getTraceId() : null,
                Instant.now(), callbacks, StatusCallbacks.relay(input, callbacks));
        ledger.attempted(attempt);
        return attempt.id();
    }

    /** {@code placed} with the call's SID, or the failure's category. */
    void outcome(String attemptId, ActionResult<MakeCallOutput> result) {
        if (result.failure() == null) {
            ledger.outcome(attemptId, result.output().callSid(), LedgerEntry.PLACED);
        } else {
            ledger.outcome(attemptId, null, result.failure().category().wire());
        }
    }
}
