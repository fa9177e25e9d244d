package dev.voicegate.ledger;

/** The ledger's store (Redis) could not answer a read. */
public class LedgerUnavailableException extends RuntimeException {

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
