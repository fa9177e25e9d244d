package dev.voicegate.quota;

import java.time.Duration;

/** One sliding window of a quota: at most {@code limit} in any {@code length}, e.g. {@code calls-per-hour}. */
public record Window(String name, int limit, Duration length) {

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
