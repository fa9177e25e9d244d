package dev.voicegate.voice;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.ledger.ControlEvent;
import dev.voicegate.ledger.Ledger;
import io.smallrye.mutiny.Uni;

/**
 * Each operator control (kill switch, end-all, approval decision, do-not-call change) as a ledger event, beside its
 * audit line: once it ends, with its result, or {@code failed: <category>}. Targets and reasons arrive validated;
 * the ledger masks any phone number in them. Shared by the REST controls and the console.
 */
@ApplicationScoped
public class ControlEvents {

    private final Ledger ledger;

    ControlEvents(Ledger ledger) {
        this.ledger = ledger;
    }

    /** {@code control}, recorded when it ends; {@code result} describes its item. */
    public <T> Uni<T> recorded(Uni<T> control, String action, Caller operator, String target, String reason,
            Function<T, String> result) {
        return control
                .invoke(item -> record(action, operator, target, reason, result.apply(item)))
                .onFailure().invoke(failure -> record(action, operator, target, reason, "failed: " + category(failure)));
    }

    /** A control that ended with {@code result} (the console's, whose refusals are pages rather than exceptions). */
    public void record(String action, Caller operator, String target, String reason, String result) {
        ledger.control(ControlEvent.now(action, operator.name(), target, reason, result));
    }

    private static String category(Throwable failure) {
        return failure instanceof ActionException e ? e.failure().category().wire() : "error";
    }
}
