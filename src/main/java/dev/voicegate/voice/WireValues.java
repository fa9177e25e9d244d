package dev.voicegate.voice;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Conversions from Twilio's wire values to the contract's: RFC 2822 dates, string durations. */
public final class WireValues {

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
}
