package dev.voicegate.voice;

import dev.voicegate.failure.ActionException;

/** What every action input offers the dispatcher: its own validation and the account it acts on. */
public interface ActionInput {

    /** Throws {@link ActionException} ({@code invalid_request}) naming the first parameter at fault. */
    void validate();

    String accountSid();
}
