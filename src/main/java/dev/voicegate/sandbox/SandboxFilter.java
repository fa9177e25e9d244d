package dev.voicegate.sandbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The list filters Twilio documents for Calls and Recordings. Null means "no filter".
 *
 * @param onOrAfter from {@code StartTime>} / {@code DateCreated>}
 * @param before from {@code StartTime<} / {@code DateCreated<}
 */
record SandboxFilter(String to, String from, String status, String callSid, Instant onOrAfter, Instant before) {

    private static final List<String> STATUSES =
            List.of("queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled");

    static final SandboxFilter NONE = new SandboxFilter(null, null, null, null, null, null);

    SandboxFilter {
        if (status != null && !STATUSES.contains(status)) {
            throw SandboxError.invalidParameter("Status must be one of " + String.join(", ", STATUSES));
        }
    }

    /**
     * Calls that have not been answered yet have no start time; their creation instant stands in for it so
     * that a call placed a moment ago is still found by a day-bounded list.
     */
    boolean matchesCall(SandboxCall c, Instant now) {
        Instant started = c.startTime(now).orElse(c.created());
        return (to == null || to.equals(c.to()))
                && (from == null || from.equals(c.from()))
                && (status == null || status.equals(c.statusAt(now).wire))
                && inRange(started);
    }

    /** Recordings are created when their call ends. */
    boolean matchesRecording(SandboxCall c, Instant now) {
        return c.hasRecording(now) && (callSid == null || callSid.equals(c.sid())) && inRange(c.ended());
    }

    private boolean inRange(Instant t) {
        return (onOrAfter == null || !t.isBefore(onOrAfter)) && (before == null || t.isBefore(before));
    }

    /**
     * Twilio documents {@code YYYY-MM-DD} in UTC; SDKs also send {@code 2024-01-01T10:00:00Z} or, twilio-java,
     * a zone-less {@code 2024-01-01T10:00:00} meaning UTC. All three are accepted; a day means its first instant.
     */
    static Instant parseDate(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw SandboxError.invalidParameter("Invalid " + name + " value, expected YYYY-MM-DD");
        }
    }
}
