package dev.voicegate.quota;

/** The quota store could not be reached: a make_call whose quota must be checked then fails closed. */
public class QuotaUnavailableException extends RuntimeException {

    public QuotaUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
