package dev.voicegate.dnc;

/** The list's store (Redis) did not answer: make_call fails closed, the operator endpoints answer 503. */
public class DoNotCallUnavailableException extends RuntimeException {

    DoNotCallUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
