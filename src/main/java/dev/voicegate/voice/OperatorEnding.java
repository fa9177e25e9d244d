package dev.voicegate.voice;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.StatusEvent;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/**
 * Ends a call for an operator's control (a suspension with {@code end_active_calls}, or ending every live call of an
 * account) exactly as end_call does: one fetch, then {@link CallEnding} unless the call is already over; an
 * {@code update} event in the ledger with the operator's key and an {@code end_call} audit line. The operator's
 * right to do so is checked by the caller of this class. Never fails: a failure is the outcome.
 */
@ApplicationScoped
public class OperatorEnding {

    /** One call's outcome: {@code success} or an error category, its status after the request, and the error. */
    public record Outcome(String callSid, String outcome, String status, Boolean endedByThisRequest, String error) {
    }

    private final CallEnding ending;
    private final FetchedStatus fetched;
    private final Ledger ledger;
    private final AuditTrail audit;

    OperatorEnding(CallEnding ending, FetchedStatus fetched, Ledger ledger, AuditTrail audit) {
        this.ending = ending;
        this.fetched = fetched;
        this.ledger = ledger;
        this.audit = audit;
    }

    public Uni<Outcome> end(String operator, TwilioCredentials credentials, String callSid) {
        String accountSid = credentials.accountSid();
        return ending.fetch(credentials, callSid, Turn.FIRST)
                .flatMap(call -> WireValues.isFinalStatus(call.status())
                        ? Uni.createFrom().item(new CallEnding.Ended(call, false))
                        : ending.end(credentials, callSid, call.status()))
                .map(ended -> {
                    fetched.details(ended.call());
                    if (ended.call().status() != null) {
                        ledger.event(callSid, StatusEvent.update(ended.call().status(), Instant.now(), operator))
                                .subscribe().with(outcome -> {
                                }, failure -> {
                                });
                    }
                    audit.endCall(operator, accountSid, callSid, "success", ended.call().status(), ended.byThisRequest());
                    return new Outcome(callSid, "success", ended.call().status(), ended.byThisRequest(), null);
                })
                .onFailure().recoverWithItem(failure -> {
                    ActionFailure reason = Failures.of(failure, "the call", false);
                    audit.endCall(operator, accountSid, callSid, reason.category().wire(), null, null);
                    return new Outcome(callSid, reason.category().wire(), null, null, reason.error());
                });
    }
}
