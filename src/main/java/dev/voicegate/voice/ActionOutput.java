package dev.voicegate.voice;

/**
 * What every action's contract output shares: the envelope's {@code success} and {@code error}
 * ({@code "<category>: <message>"}, or a {@code partial:} note on a success).
 */
public interface ActionOutput {

    boolean success();

    String error();

    /** The call it reports on, if any: for make_call the call placed (the audit trail's call SID). */
    default String callSid() {
        return null;
    }
}
