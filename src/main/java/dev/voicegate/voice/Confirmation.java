package dev.voicegate.voice;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/**
 * A human who can be asked, within the request, to say yes or no before an action goes on: the MCP client's user
 * through form elicitation. Surface-neutral: a surface that has one supplies it ({@link ActionContext#confirmation()}),
 * every other surface has {@link #NONE}, and the action then answers as it would without a human to ask.
 */
public interface Confirmation {

    /** How a question ended: yes, no, dismissed, or no answer in time. */
    enum Answer {
        APPROVED, DECLINED, CANCELLED, TIMED_OUT
    }

    /** Nobody to ask. */
    Confirmation NONE = new Confirmation() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public String via() {
            return "none";
        }

        @Override
        public Uni<Answer> ask(String message, Duration timeout) {
            return Uni.createFrom().failure(new IllegalStateException("nobody to ask"));
        }
    };

    /** Whether {@link #ask} can reach a human on this request. */
    boolean available();

    /** How the human is reached, for the audit trail (e.g. {@code elicitation}). */
    String via();

    /**
     * Asks one yes-or-no question; never fails: a transport failure is {@link Answer#CANCELLED}, no answer within
     * {@code timeout} is {@link Answer#TIMED_OUT}. Never blocks the calling thread.
     */
    Uni<Answer> ask(String message, Duration timeout);
}
