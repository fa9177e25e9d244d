package dev.voicegate.idempotency;

/** The idempotency store could not be reached: a keyed make_call then fails closed, never risking a duplicate. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
