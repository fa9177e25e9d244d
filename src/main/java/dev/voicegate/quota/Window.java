package dev.voicegate.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.voicegate.access.Policy;

/** One sliding window of a quota: at most {@code limit} in any {@code length}, e.g. {@code calls-per-hour}. */
public record Window(String name, int limit, Duration length) {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    /** {@code max-requests-per-minute}'s window, or none. */
    static List<Window> requests(Policy.Limits limits) {
        return limits.requestsPerMinute() == null ? List.of()
                : List.of(new Window("requests-per-minute", limits.requestsPerMinute(), MINUTE));
    }

    /** The call quotas' windows that the limits set: per minute, hour, day. */
    static List<Window> calls(Policy.Limits limits) {
        List<Window> windows = new ArrayList<>(3);
        add(windows, "calls-per-minute", limits.callsPerMinute(), MINUTE);
        add(windows, "calls-per-hour", limits.callsPerHour(), HOUR);
        add(windows, "calls-per-day", limits.callsPerDay(), DAY);
        return windows;
    }

    private static void add(List<Window> windows, String name, Integer limit, Duration length) {
        if (limit != null) {
            windows.add(new Window(name, limit, length));
        }
    }

    /** The setting, and the rule a denial names: {@code max-calls-per-hour}. */
    public String rule() {
        return "max-" + name;
    }

    /** "in the last hour", for messages. */
    String span() {
        long minutes = length.toMinutes();
        return minutes <= 1 ? "in the last minute" : minutes <= 60 ? "in the last hour" : "in the last 24 hours";
    }
}
