package dev.voicegate.twilio;

/**
 * Filters and cursor of one {@code GET /Recordings.json} page. Dates are {@code YYYY-MM-DD} (UTC days, as Twilio
 * documents them); null values are not sent. {@code cursor} is null for the first page.
 */
public record RecordingQuery(String createdOnOrAfter, String createdBefore, Integer pageSize, PageCursor cursor) {

    /** The same filters, from the page after the one that gave {@code next}. */
    public RecordingQuery next(PageCursor next) {
        return new RecordingQuery(createdOnOrAfter, createdBefore, pageSize, next);
    }
}
