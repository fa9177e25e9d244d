package dev.voicegate.voice;

import io.smallrye.mutiny.Uni;

/**
 * One of Voicegate's actions, free of HTTP: typed input, contract output. Implementations never fail the
 * returned {@link Uni}: every outcome, good or bad, is an {@link ActionResult}.
 */
public interface Action<I extends ActionInput, O extends ActionOutput> {

    /** The action's name in the API, e.g. {@code make_call}. */
    String name();

    /** What an agent needs to know to use the action well; the catalog's and the MCP tool's description. */
    String description();

    /** A short human-readable name, e.g. the MCP tool's title. By default the name in words: "Make call". */
    default String title() {
        String words = name().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    // Hints for agents (MCP tool annotations). The defaults are MCP's own: assume the worst until an action says
    // otherwise.

    /** Changes nothing anywhere. */
    default boolean readOnly() {
        return false;
    }

    /** May destroy or overwrite something; a read-only action cannot. */
    default boolean destructive() {
        return !readOnly();
    }

    /** Repeating it with the same input has no further effect; a read-only action has none to begin with. */
    default boolean idempotent() {
        return readOnly();
    }

    /** Reaches beyond Voicegate (Twilio, the phone network). */
    default boolean openWorld() {
        return true;
    }

    Class<I> inputType();

    /** The contract output for a failure ({@code success=false}). */
    O failure(String error);

    /** Runs a validated input; {@code context} holds the caller and the credentials resolved for its account. */
    Uni<ActionResult<O>> run(I input, ActionContext context);
}
