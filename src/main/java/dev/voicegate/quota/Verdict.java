package dev.voicegate.quota;

import java.time.Duration;
import java.util.List;

/**
 * A quota store's decision. Allowed: one was taken from every window, {@code remaining} is what is left in each
 * and {@code ticket} gives it back. Denied: {@code exceeded} is the first full window, and {@code retryAfter} the
 * time until it has room again.
 */
public record Verdict(Window exceeded, Duration retryAfter, List<Integer> remaining, String ticket) {

    static Verdict allowed(List<Integer> remaining, String ticket) {
        return new Verdict(null, null, remaining, ticket);
    }

    static Verdict denied(Window exceeded, Duration retryAfter) {
        return new Verdict(exceeded, retryAfter, List.of(), null);
    }

    public boolean allowed() {
        return exceeded == null;
    }
}
