package dev.voicegate.failure;

import java.time.Duration;

/**
 * Why an action did not succeed: a category, a message that names the parameter at fault or quotes
 * Twilio and says whether a retry can help, the REST status, and Twilio's wait when it gave one.
 */
public record ActionFailure(ErrorCategory category, String message, int httpStatus, Duration retryAfter) {

    public ActionFailure(ErrorCategory category, String message) {
        this(category, message, category.httpStatus(), null);
    }

    /** The {@code error} string: {@code "<category>: <message>"}. */
    public String error() {
        return category.wire() + ": " + message;
    }

    public static ActionFailure invalid(String message) {
        return new ActionFailure(ErrorCategory.INVALID_REQUEST, message + ". Fix the request; retrying it as is will not help.");
    }
}
