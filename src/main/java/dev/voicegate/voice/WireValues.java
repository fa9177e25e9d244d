package dev.voicegate.voice;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Conversions from Twilio's wire values to the contract's: RFC 2822 dates, string durations, final statuses. */
public final class WireValues {

    /**
     * Call statuses after which a call no longer changes: in Twilio's call resource documentation these are the
     * statuses of a call that has ended, while queued, initiated, ringing and in-progress still change
     * (https://www.twilio.com/docs/voice/api/call-resource#call-status-values). An unknown status is not final.
     */
    private static final Set<String> FINAL_STATUSES = Set.of("completed", "busy", "failed", "no-answer", "canceled");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static final String DAYS = "MonTueWedThuFriSatSun";

    private WireValues() {
    }

    /** RFC 2822 (or ISO-8601, as some Twilio-compatible servers send) to an instant in UTC; null if unreadable. */
    public static OffsetDateTime instant(String twilioDate) {
        if (twilioDate == null || twilioDate.isBlank()) {
            return null;
        }
        OffsetDateTime canonical = twilioShape(twilioDate.trim());
        if (canonical != null) {
            return canonical;
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

    /**
     * Twilio's own shape, {@code Tue, 31 Aug 2010 20:36:28 +0000}, read field by field: the general RFC 1123 formatter
     * took a sixth of the service's CPU in list_calls under load (each call and recording has several dates). Null
     * for any other shape or an inconsistent value (a weekday that does not match the date), which the formatter then
     * reads or rejects exactly as before.
     */
    static OffsetDateTime twilioShape(String text) {
        if (text.length() != 31 || text.charAt(3) != ',' || text.charAt(4) != ' ' || text.charAt(7) != ' '
                || text.charAt(11) != ' ' || text.charAt(16) != ' ' || text.charAt(19) != ':' || text.charAt(22) != ':'
                || text.charAt(25) != ' ' || (text.charAt(26) != '+' && text.charAt(26) != '-')) {
            return null;
        }
        int month = MONTHS.indexOf(text.substring(8, 11));
        int weekday = DAYS.indexOf(text.substring(0, 3));
        int day = digits(text, 5, 7);
        int year = digits(text, 12, 16);
        int hour = digits(text, 17, 19);
        int minute = digits(text, 20, 22);
        int second = digits(text, 23, 25);
        int offsetHours = digits(text, 27, 29);
        int offsetMinutes = digits(text, 29, 31);
        if (month < 0 || month % 3 != 0 || weekday < 0 || weekday % 3 != 0 || (day | year | hour | minute | second
                | offsetHours | offsetMinutes) < 0) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month / 3 + 1, day, hour, minute, second);
            if (local.getDayOfWeek().ordinal() != weekday / 3) {
                return null;
            }
            int sign = text.charAt(26) == '-' ? -1 : 1;
            // Twilio sends "+0000": UTC itself, without ZoneOffset's cache lookup (2% of a page of 1000's CPU).
            ZoneOffset offset = (offsetHours | offsetMinutes) == 0 ? ZoneOffset.UTC
                    : ZoneOffset.ofHoursMinutes(sign * offsetHours, sign * offsetMinutes);
            return OffsetDateTime.of(local, offset).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The contract's date-time form: ISO-8601 in UTC, e.g. {@code 2024-05-01T10:00:00Z}. */
    public static String isoUtc(String twilioDate) {
        OffsetDateTime instant = instant(twilioDate);
        return instant == null ? null : iso(instant);
    }

    /**
     * ISO_INSTANT's text for whole seconds in years 1000-9999, written by hand: the formatter was a tenth of
     * list_calls' CPU for a page of 1000 (four dates a call). Anything else goes to the formatter.
     */
    static String iso(OffsetDateTime utc) {
        int year = utc.getYear();
        if (utc.getNano() != 0 || year < 1000 || year > 9999 || !ZoneOffset.UTC.equals(utc.getOffset())) {
            return DateTimeFormatter.ISO_INSTANT.format(utc);
        }
        StringBuilder text = new StringBuilder(20).append(year);
        two(two(two(two(two(text.append('-'), utc.getMonthValue()).append('-'), utc.getDayOfMonth()).append('T'),
                utc.getHour()).append(':'), utc.getMinute()).append(':'), utc.getSecond());
        return text.append('Z').toString();
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
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
