package dev.voicegate.voice;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Conversions from Twilio's wire values to the contract's: RFC 2822 dates, string durations, final statuses. */
public final class WireValues {

    /** Call statuses after which a call no longer changes (TWILIO.md section 4); an unknown status is not final. */
    private static final Set<String> FINAL_STATUSES = Set.of("completed", "busy", "failed", "no-answer", "canceled");

    private WireValues() {
    }

    /** RFC 2822 (or ISO-8601, as some Twilio-compatible servers send) to an instant in UTC; null if unreadable. */
    public static OffsetDateTime instant(String twilioDate) {
        if (twilioDate == null || twilioDate.isBlank()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(twilioDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notRfc2822) {
            try {
                return OffsetDateTime.parse(twilioDate.trim()).withOffsetSameInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notIso) {
                return null;
            }
        }
    }

    /** The contract's date-time form: ISO-8601 in UTC, e.g. {@code 2024-05-01T10:00:00Z}. */
    public static String isoUtc(String twilioDate) {
        OffsetDateTime instant = instant(twilioDate);
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** Twilio's string of seconds to an integer; null when empty or not a number. */
    public static Integer seconds(String duration) {
        if (duration == null || duration.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(duration.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether a call with this status has ended for good. */
    public static boolean isFinalStatus(String status) {
        return status != null && FINAL_STATUSES.contains(status);
    }
}
