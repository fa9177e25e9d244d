package dev.voicegate.sandbox;

/**
 * A Twilio API error the sandbox answers with: HTTP status plus Twilio's numeric code and message.
 * Thrown by the store and turned into Twilio's error body by the routes; no stack trace, it is a reply.
 */
final class SandboxError extends RuntimeException {

    final int status;
    final int code;

    SandboxError(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static SandboxError badRequest(int code, String message) {
        return new SandboxError(400, code, message);
    }

    /** Twilio's generic "invalid parameter" error. */
    static SandboxError invalidParameter(String message) {
        return badRequest(20001, message);
    }

    static SandboxError notFound(String twilioPath) {
        return new SandboxError(404, 20404, "The requested resource " + twilioPath + " was not found");
    }

    static SandboxError unauthenticated() {
        return new SandboxError(401, 20003, "Authenticate");
    }

    /**
     * Phone numbers are personal data: messages and logs show only the last four characters, e.g.
     * {@code ***5678}.
     */
    static String mask(String value) {
        if (value == null || value.length() <= 4) {
            return "***";
        }
        return "***" + value.substring(value.length() - 4);
    }
}
