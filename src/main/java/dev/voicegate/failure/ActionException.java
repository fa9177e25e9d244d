package dev.voicegate.failure;

/** Carries an {@link ActionFailure} out of validation and access checks; cheap, no stack trace. */
public class ActionException extends RuntimeException {

    private final ActionFailure failure;

    public ActionException(ActionFailure failure) {
        super(failure.error(), null, false, false);
        this.failure = failure;
    }

    public ActionFailure failure() {
        return failure;
    }

    public static ActionException invalid(String message) {
        return new ActionException(ActionFailure.invalid(message));
    }
}
