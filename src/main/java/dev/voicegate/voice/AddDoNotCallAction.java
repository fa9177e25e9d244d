package dev.voicegate.voice;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.Redact;
import dev.voicegate.access.Policy;
import dev.voicegate.dnc.DoNotCall;
import dev.voicegate.dnc.DoNotCallUnavailableException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.observability.AuditTrail;
import io.smallrye.mutiny.Uni;

/**
 * add_do_not_call: the agent's "please don't call me again" tool. Puts the number on the do-not-call list that
 * {@code PUT /v1/admin/do-not-call/{number}} writes to, with the reason, the time and the key's name; from then on no
 * make_call may dial it. The policy opens it per key ({@code add-do-not-call}, checked by the dispatcher's
 * {@link dev.voicegate.access.Guard}). Idempotent: a number listed already is left as it is ({@code added: false}),
 * so an agent never replaces an operator's entry. Every add is an audit line, the number masked; nothing reaches
 * Twilio.
 */
// Catalog order: higher first (ActionDispatcher); last, after end_call.
@Priority(1)
@ApplicationScoped
public class AddDoNotCallAction implements Action<AddDoNotCallInput, AddDoNotCallOutput> {

    private final DoNotCall list;
    private final AuditTrail audit;

    AddDoNotCallAction(DoNotCall list, AuditTrail audit) {
        this.list = list;
        this.audit = audit;
    }

    @Override
    public String name() {
        return Policy.ADD_DO_NOT_CALL;
    }

    @Override
    public String description() {
        return "Put a phone number (E.164, e.g. +14155550123) on the do-not-call list, e.g. when the person you called "
                + "asks not to be called again; an optional reason (up to 500 characters) is kept with it. From then on "
                + "make_call refuses that number, for every key. A number already listed is left as it is and the "
                + "answer says added: false, so repeating it is harmless. Nothing is sent to Twilio. Only keys whose "
                + "policy allows it (add-do-not-call) may use it; only an operator can take a number off the list.";
    }

    @Override
    public String title() {
        return "Add a number to the do-not-call list";
    }

    @Override
    public boolean destructive() {
        return false;
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public boolean openWorld() {
        return false;
    }

    @Override
    public Class<AddDoNotCallInput> inputType() {
        return AddDoNotCallInput.class;
    }

    @Override
    public AddDoNotCallOutput failure(String error) {
        return AddDoNotCallOutput.failure(error);
    }

    @Override
    public Uni<ActionResult<AddDoNotCallOutput>> run(AddDoNotCallInput input, ActionContext context) {
        String number = input.e164();
        audit.allowed(context.caller().name(), name(), Redact.phone(number));
        return list.addIfAbsent(number, input.reason(), context.caller().name())
                .map(entry -> ActionResult.ok(entry.map(AddDoNotCallOutput::added)
                        .orElseGet(() -> AddDoNotCallOutput.listedAlready(number))))
                .onFailure().recoverWithItem(failure -> {
                    ActionFailure reason = failure instanceof DoNotCallUnavailableException
                            ? new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the do-not-call list's store "
                                    + "(Redis) is unreachable; nothing was added. Retrying later may help.", 503, null)
                            : Failures.of(failure, "the do-not-call list", false);
                    return ActionResult.failed(AddDoNotCallOutput.failure(reason.error()), reason);
                });
    }
}
