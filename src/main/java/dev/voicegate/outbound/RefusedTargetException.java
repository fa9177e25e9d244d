package dev.voicegate.outbound;

/**
 * A URL that {@link AddressGuard} will not let a request reach. The message says why, as a phrase that follows the
 * parameter's name ({@code "status_callback " + getMessage()}); it names no address a caller did not write.
 */
public class RefusedTargetException extends RuntimeException {

    public RefusedTargetException(String reason) {
        super(reason, null, false, false);
    }
}
