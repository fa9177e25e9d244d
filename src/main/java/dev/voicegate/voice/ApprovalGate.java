package dev.voicegate.voice;

import java.time.Instant;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.approval.Approval;
import dev.voicegate.approval.ApprovalStoreException;
import dev.voicegate.approval.Approvals;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.idempotency.StoreUnavailableException;
import io.smallrye.mutiny.Uni;

/**
 * Approval before dialing for make_call: when the key's policy asks for it, nothing reaches Twilio until an operator
 * approved this key's request with this idempotency key and these parameters, or, when the request has a human to
 * ask ({@link Confirmation}: MCP form elicitation), until that human said yes ({@link AskedApproval}). Once the
 * idempotency key has been used (placed, or tried), the idempotency rules answer without asking again; an operator's
 * decision already recorded for it stands without asking.
 */
@ApplicationScoped
class ApprovalGate {

    private static final int SUMMARY = 200;

    private final Approvals approvals;
    private final IdempotentMakeCall idempotent;
    private final AskedApproval asked;

    ApprovalGate(Approvals approvals, IdempotentMakeCall idempotent, AskedApproval asked) {
        this.approvals = approvals;
        this.idempotent = idempotent;
        this.asked = asked;
    }

    /** Runs {@code proceed} when no approval is needed or the call was approved; else answers why not. */
    Uni<ActionResult<MakeCallOutput>> run(MakeCallInput input, Caller caller, Confirmation confirmation,
            Supplier<Uni<ActionResult<MakeCallOutput>>> proceed) {
        Approvals.Mode mode = approvals.mode(caller.name(), caller.policy().named());
        if (mode == Approvals.Mode.NEVER) {
            return proceed.get();
        }
        return approvals.needed(mode, caller.name(), input.to()).flatMap(needed -> {
            if (!needed) {
                return proceed.get();
            }
            boolean ask = confirmation.available();
            if (input.idempotencyKey() == null) {
                // Asked, the human answers within this request: no key is needed to come back with.
                return ask ? asked.run(input, caller, confirmation, null, proceed) : keyRequired(caller);
            }
            return idempotent.started(input).flatMap(started -> started ? proceed.get()
                    : approvals.open(request(input, caller)).flatMap(approval -> {
                        if (ask && approval.state() == Approval.State.PENDING && matches(approval, input)) {
                            return asked.run(input, caller, confirmation, approval, proceed);
                        }
                        return decide(approval, input, proceed);
                    }));
        }).onFailure(failure -> failure instanceof ApprovalStoreException || failure instanceof StoreUnavailableException)
                .recoverWithItem(failure -> unavailable());
    }

    private static Uni<ActionResult<MakeCallOutput>> decide(Approval approval, MakeCallInput input,
            Supplier<Uni<ActionResult<MakeCallOutput>>> proceed) {
        if (!matches(approval, input)) {
            return Uni.createFrom().item(KeyFailures.reused());
        }
        return switch (approval.state()) {
            case APPROVED -> proceed.get();
            case PENDING -> Uni.createFrom().item(pending(approval));
            case DENIED -> denied(approval);
        };
    }

    private static Uni<ActionResult<MakeCallOutput>> keyRequired(Caller caller) {
        ActionFailure invalid = ActionFailure.invalid("calls of " + caller.policy().holder() + " need an "
                + "operator's approval (" + caller.policy().setting("approval") + "), which requires an "
                + "'idempotency_key': send the request with one, then repeat it with the same key once approved");
        return Uni.createFrom().item(ActionResult.failed(MakeCallOutput.failure(invalid.error()), invalid));
    }

    private static boolean matches(Approval approval, MakeCallInput input) {
        return approval.fingerprint().equals(IdempotentMakeCall.fingerprint(input));
    }

    static <T> Uni<T> denied(Approval approval) {
        return Uni.createFrom().failure(new PolicyDenial("approval", new ActionFailure(ErrorCategory.FORBIDDEN,
                "an operator (key '" + approval.decidedBy() + "') denied this call (approval_id " + approval.id()
                        + ") (rule 'approval'); nothing was sent to Twilio. To call anyway, ask an operator and use a new "
                        + "idempotency_key. Retrying will not help.")));
    }

    private static ActionResult<MakeCallOutput> pending(Approval approval) {
        ActionFailure failure = new ActionFailure(ErrorCategory.PENDING_APPROVAL, "approval_id " + approval.id()
                + ": this call waits for an operator's approval (POST /v1/admin/approvals/" + approval.id()
                + "/approve); nothing was sent to Twilio. Repeat this make_call with the same idempotency_key and "
                + "parameters: once approved it is placed, while pending the answer stays pending_approval, once "
                + "denied it is forbidden. The approval expires at " + Instant.ofEpochMilli(approval.expiresAt()) + ".");
        return ActionResult.failed(MakeCallOutput.failure(failure.error()), failure);
    }

    private static ActionResult<MakeCallOutput> unavailable() {
        ActionFailure failure = new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the approval or idempotency "
                + "store is unreachable, so the call was not placed (it needs an approval). Retrying later may help.",
                503, null);
        return ActionResult.failed(MakeCallOutput.failure(failure.error()), failure);
    }

    private static Approvals.Request request(MakeCallInput input, Caller caller) {
        String what = input.url() != null ? "url " + input.url() : "twiml " + input.twiml();
        return new Approvals.Request(caller.name(), input.accountSid(), input.idempotencyKey(), input.to(), input.from(),
                what.length() > SUMMARY ? what.substring(0, SUMMARY) + "…" : what, IdempotentMakeCall.fingerprint(input));
    }
}
