package dev.voicegate.twilio;

/**
 * Filters and paging of {@code GET /Calls.json}. Dates are {@code YYYY-MM-DD} (UTC), sent as Twilio's
 * {@code StartTime>} (on or after) and {@code StartTime<} (before).
 */
public record CallQuery(
        String to,
        String from,
        String status,
        String startTimeOnOrAfter,
        String startTimeBefore,
        Integer pageSize,
        Integer page,
        String pageToken) {
}
