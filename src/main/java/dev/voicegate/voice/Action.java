package dev.voicegate.voice;

import io.smallrye.mutiny.Uni;

/**
 * One of Voicegate's actions, free of HTTP: typed input, contract output. Implementations never fail the
 * returned {@link Uni}: every outcome, good or bad, is an {@link ActionResult}.
 */
public interface Action<I extends ActionInput, O extends ActionOutput> {

    /** The action's name in the API, e.g. {@code make_call}. */
    String name();

    /** One sentence for the catalog. */
    String description();

    Class<I> inputType();

    /** The contract output for a failure ({@code success=false}). */
    O failure(String error);

    /** Runs a validated input; {@code context} holds the caller and the credentials resolved for its account. */
    Uni<ActionResult<O>> run(I input, ActionContext context);
}
