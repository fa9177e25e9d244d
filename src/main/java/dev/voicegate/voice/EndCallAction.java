package dev.voicegate.voice;

import java.time.Instant;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerUnavailableException;
import dev.voicegate.ledger.StatusEvent;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/**
 * end_call: hangs up a call. First the policy ({@code end-call}: a caller ends only the calls the ledger shows it
 * placed, unless it may end any), then one fetch; a call that has already ended is left alone, else
 * {@link CallEnding} asks Twilio to end it. Ending is idempotent: a call already over is a success with
 * {@code ended_by_this_request: false}. Each outcome is an {@code update} event in the ledger, with the key that
 * asked, and an audit line.
 */
// Catalog order: higher first (ActionDispatcher); after get_call.
@Priority(5)
@ApplicationScoped
public class EndCallAction implements Action<EndCallInput, EndCallOutput> {

    static final String RULE = "end-call";

    private final Guard guard;
    private final Ledger ledger;
    private final CallEnding ending;
    private final FetchedStatus fetched;
    private final AuditTrail audit;

    EndCallAction(Guard guard, Ledger ledger, CallEnding ending, FetchedStatus fetched, AuditTrail audit) {
        this.guard = guard;
        this.ledger = ledger;
        this.ending = ending;
        this.fetched = fetched;
        this.audit = audit;
    }

    @Override
    public String name() {
        return "end_call";
    }

    @Override
    public String description() {
        return "Hang up a call by its SID (CA followed by 32 hex digits, as make_call returns it): a queued or ringing "
                + "call is canceled, a call in progress is ended. A call that has already ended is left as it is and "
                + "the answer says ended_by_this_request: false, so repeating it is harmless. Answers with the call as "
                + "get_call does (without recording_sids). A key may end only the calls it placed itself, unless its "
                + "policy says otherwise.";
    }

    @Override
    public String title() {
        return "End (hang up) a call";
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public Class<EndCallInput> inputType() {
        return EndCallInput.class;
    }

    @Override
    public EndCallOutput failure(String error) {
        return EndCallOutput.failure(error);
    }

    @Override
    public Uni<ActionResult<EndCallOutput>> run(EndCallInput input, ActionContext context) {
        Caller caller = context.caller();
        TwilioCredentials credentials = context.credentials();
        return allowed(caller, input)
                .flatMap(ok -> ending.fetch(credentials, input.callSid(), Turn.FIRST))
                .flatMap(call -> WireValues.isFinalStatus(call.status())
                        ? Uni.createFrom().item(new CallEnding.Ended(call, false))
                        : ending.end(credentials, input.callSid(), call.status()))
                .map(ended -> {
                    recorded(caller, ended.call());
                    audit.endCall(caller.name(), input.accountSid(), input.callSid(), "success", ended.call().status(),
                            ended.byThisRequest());
                    return ActionResult.ok(EndCallOutput.of(ended.call(), ended.byThisRequest()));
                })
                .onFailure().recoverWithItem(failure -> {
                    ActionFailure reason = Failures.of(failure, "the call", false);
                    if (failure instanceof PolicyDenial denial) {
                        // The dispatcher writes the refusal's audit line and counts the denial.
                        context.allowance().refused(denial.rule());
                    } else {
                        audit.endCall(caller.name(), input.accountSid(), input.callSid(), reason.category().wire(),
                                null, null);
                    }
                    return ActionResult.failed(EndCallOutput.failure(reason.error()), reason);
                });
    }

    /**
     * The {@code end-call} rule, before anything is sent: a caller that may end any call does not need the ledger;
     * another one needs it to show the call as its own, and when the ledger cannot answer, nothing is ended.
     */
    private Uni<Void> allowed(Caller caller, EndCallInput input) {
        if (guard.mayEndAnyCall(caller)) {
            return Uni.createFrom().voidItem();
        }
        return ledger.find(input.callSid())
                .onFailure(LedgerUnavailableException.class).transform(unavailable -> new ActionException(
                        new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the call ledger cannot be read now, so "
                                + "Voicegate cannot tell who placed the call; nothing was sent to Twilio. Retrying "
                                + "later may help.")))
                .invoke(entry -> guard.checkEndCall(caller, input.accountSid(), input.callSid(),
                        entry.map(found -> found.attempt().key()).orElse(null),
                        entry.map(found -> found.attempt().accountSid()).orElse(null)))
                .replaceWithVoid();
    }

    /** The call's status after the request, as an {@code update} event with the key that asked; fire and forget. */
    private void recorded(Caller caller, TwilioCall call) {
        fetched.details(call);
        if (call.sid() != null && call.status() != null) {
            ledger.event(call.sid(), StatusEvent.update(call.status(), Instant.now(), caller.name()))
                    .subscribe().with(outcome -> {
                    }, failure -> {
                    });
        }
    }
}
