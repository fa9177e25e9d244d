package dev.voicegate.access;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily window such as {@code 08:00-21:00} in which calls may be placed, in the called party's local time: the
 * start is inside, the end is not. A start after the end runs over midnight ({@code 22:00-06:00}).
 */
public record CallingHours(LocalTime start, LocalTime end) {

    private static final Pattern FORMAT = Pattern.compile("^([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)$");

    /** Why a call is outside the window: the local times it found and when the window opens everywhere (or null). */
    public record Outside(String localTimes, Duration opensIn) {
    }

    /** The window, or empty when the text is not {@code HH:mm-HH:mm} with two different times (ConfigCheck says so). */
    public static Optional<CallingHours> parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalTime start = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        LocalTime end = LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        return start.equals(end) ? Optional.empty() : Optional.of(new CallingHours(start, end));
    }

    public boolean contains(LocalTime time) {
        return start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }

    /** Null when {@code now} is inside the window in every zone; otherwise what was found. */
    public Outside check(List<ZoneId> zones, Instant now) {
        if (zones.stream().allMatch(zone -> contains(now.atZone(zone).toLocalTime()))) {
            return null;
        }
        List<String> times = zones.stream().map(zone -> now.atZone(zone).toLocalTime().withSecond(0).withNano(0)
                + " (" + zone.getId() + ")").toList();
        return new Outside(String.join(", ", times), opensIn(zones, now));
    }

    /**
     * The wait until the window is open in every zone at once: the earliest opening, in one of the zones, of the
     * next two days at which all are inside. Null when there is none (zones too far apart for the window).
     */
    private Duration opensIn(List<ZoneId> zones, Instant now) {
        List<Instant> openings = new ArrayList<>();
        for (ZoneId zone : zones) {
            LocalDate today = now.atZone(zone).toLocalDate();
            for (int day = -1; day <= 2; day++) {
                // A start skipped by a DST gap moves forward: ZonedDateTime.of does that.
                Instant opening = ZonedDateTime.of(today.plusDays(day), start, zone).toInstant();
                if (opening.isAfter(now)) {
                    openings.add(opening);
                }
            }
        }
        return openings.stream().sorted()
                .filter(at -> zones.stream().allMatch(zone -> contains(at.atZone(zone).toLocalTime())))
                .findFirst().map(at -> Duration.between(now, at)).orElse(null);
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
