package dev.voicegate.failure;

import java.util.Locale;

/**
 * The stable first word of every {@code error} string, and the HTTP status the REST endpoints use for it.
 * Agents branch on the category; the text after {@code ": "} is for people.
 */
public enum ErrorCategory {
    INVALID_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    RATE_LIMITED(429),
    TWILIO_ERROR(502),
    UPSTREAM_UNAVAILABLE(502),
    TIMEOUT(504),
    OUTCOME_UNKNOWN(502),
    PARTIAL(200),
    /** Nothing was sent: an operator must approve the call first (REST 202; see docs/access.md). */
    PENDING_APPROVAL(202);

    private final int httpStatus;

    ErrorCategory(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The default HTTP status of this category on the REST endpoints. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The category as written in {@code error}, e.g. {@code invalid_request}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
