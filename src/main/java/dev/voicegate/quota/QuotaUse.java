package dev.voicegate.quota;

/** What a key has used of one quota window now, e.g. 3 of {@code max-calls-per-hour} 30. */
public record QuotaUse(String window, int used, int limit) {
}
