package dev.voicegate.voice;

import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.voicegate.Redact;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/** make_call: places one outbound call driven by a TwiML URL or inline TwiML. */
// Catalog order: higher first (ActionDispatcher).
@Priority(40)
@ApplicationScoped
public class MakeCallAction implements Action<MakeCallInput, MakeCallOutput> {

    private static final Logger LOG = Logger.getLogger(MakeCallAction.class);

    private final TwilioClient twilio;
    private final IdempotentMakeCall idempotent;
    private final StatusCallbacks callbacks;
    private final MakeCallLedger ledger;
    private final ApprovalGate approval;

    MakeCallAction(TwilioClient twilio, IdempotentMakeCall idempotent, StatusCallbacks callbacks, MakeCallLedger ledger,
            ApprovalGate approval) {
        this.twilio = twilio;
        this.approval = approval;
        this.idempotent = idempotent;
        this.callbacks = callbacks;
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "make_call";
    }

    @Override
    public String description() {
        return "Place one outbound phone call. 'to' and 'from_' are E.164 numbers ('+', country code, number: "
                + "+14155551234); 'from_' must be a number of the Twilio account. Give exactly one of 'url' (an absolute "
                + "http(s) URL that returns TwiML) or 'twiml' (inline TwiML with a <Response> root, at most 4000 characters). "
                + "Optional: status and recording callbacks, 'record', answer 'timeout' (1-600 s), answering-machine "
                + "detection. A call rings a real phone and costs money: pass an 'idempotency_key' (e.g. your task id) so "
                + "that a retry with the same key and parameters returns the first outcome instead of calling twice. "
                + "After outcome_unknown without a key, look for the call with list_calls (to, from_) before retrying.";
    }

    @Override
    public String title() {
        return "Place a phone call";
    }

    @Override
    public boolean destructive() {
        return false;
    }

    @Override
    public Class<MakeCallInput> inputType() {
        return MakeCallInput.class;
    }

    @Override
    public MakeCallOutput failure(String error) {
        return MakeCallOutput.failure(error);
    }

    /**
     * Runs a validated input with the credentials resolved for its account. A caller's callback that Voicegate would
     * relay to an address it may not reach is refused first: it costs no quota, no key and no Twilio request. A call
     * that needs an operator's approval is sent only once approved ({@link ApprovalGate}).
     */
    @Override
    public Uni<ActionResult<MakeCallOutput>> run(MakeCallInput input, ActionContext context) {
        boolean followed = callbacks.on(context.caller(), input.accountSid());
        return callbacks.refusal(input, followed).flatMap(refused -> {
            if (refused.isPresent()) {
                ActionFailure invalid = ActionFailure.invalid(refused.get());
                return Uni.createFrom().item(ActionResult.failed(MakeCallOutput.failure(invalid.error()), invalid));
            }
            return approval.run(input, context.caller(), context.confirmation(), () -> keyed(input, context, followed));
        });
    }

    /** With an idempotency key, at most once per key; without, one attempt. */
    private Uni<ActionResult<MakeCallOutput>> keyed(MakeCallInput input, ActionContext context, boolean followed) {
        if (input.idempotencyKey() != null) {
            return idempotent.run(input, context.credentials(), () -> counted(context, () -> place(input, context, followed)));
        }
        return counted(context, () -> place(input, context, followed));
    }

    /** One attempt, in the ledger before it is sent and with its outcome after. */
    private Uni<ActionResult<MakeCallOutput>> place(MakeCallInput input, ActionContext context, boolean followed) {
        String entry = ledger.attempted(input, context, followed);
        return send(input, context.credentials(), followed).invoke(result -> ledger.outcome(entry, result));
    }

    private Uni<ActionResult<MakeCallOutput>> send(MakeCallInput input, TwilioCredentials credentials, boolean followed) {
        return twilio.createCall(credentials, callbacks.newCall(input, followed), Turn.FIRST)
                .map(call -> {
                    // DEBUG: the audit line (observability/AuditTrail) already says which call was placed, by
                    // whom; a second JSON line per call was about a twentieth of make_call's CPU.
                    LOG.debugf("make_call placed %s to %s", call.sid(), Redact.phone(input.to()));
                    return ActionResult.ok(MakeCallOutput.of(call));
                })
                .onFailure().recoverWithItem(failure -> {
                    ActionFailure reason = Failures.of(failure, "the call", true);
                    LOG.infof("make_call to %s failed: %s", Redact.phone(input.to()), reason.category().wire());
                    return ActionResult.failed(MakeCallOutput.failure(reason.error()), reason);
                });
    }

    // --- Quotas: a call counts here, where it is actually sent (never a replay, a denial or a bad input). ---

    private static Uni<ActionResult<MakeCallOutput>> counted(ActionContext context,
            Supplier<Uni<ActionResult<MakeCallOutput>>> send) {
        return context.allowance().takeCall()
                .flatMap(spent -> send.get().call(result -> notPlaced(result) ? spent.giveBack() : Uni.createFrom().voidItem()))
                .onFailure(ActionException.class).recoverWithItem(denied -> {
                    ActionFailure reason = ((ActionException) denied).failure();
                    return ActionResult.failed(MakeCallOutput.failure(reason.error()), reason);
                });
    }

    /** Provably not placed (own limit, no connection, circuit open, Twilio's 429): the call is given back. */
    private static boolean notPlaced(ActionResult<MakeCallOutput> result) {
        ErrorCategory category = result.failure() == null ? null : result.failure().category();
        return category == ErrorCategory.RATE_LIMITED || category == ErrorCategory.UPSTREAM_UNAVAILABLE;
    }
}
