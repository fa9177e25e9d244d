package dev.voicegate.approval;

/** The approval store did not answer: nothing is sent to Twilio and nothing is decided. */
public class ApprovalStoreException extends RuntimeException {

    public ApprovalStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
