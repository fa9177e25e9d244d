package dev.voicegate.voice;

/**
 * What an action produced: the contract output (always set, {@code success} false on failure), the
 * failure behind it when there is one, for list_calls the cursor of the next page, and whether the
 * outcome is a replay of an earlier request with the same idempotency key.
 */
public record ActionResult<T>(T output, ActionFailure failure, String nextPageToken, boolean replayed) {

    public static <T> ActionResult<T> ok(T output) {
        return new ActionResult<>(output, null, null, false);
    }

    public static <T> ActionResult<T> failed(T output, ActionFailure failure) {
        return new ActionResult<>(output, failure, null, false);
    }

    /** For metrics: "success", "partial" or the failure's category. */
    public String outcome() {
        if (failure != null) {
            return failure.category().wire();
        }
        String error = errorOf(output);
        return error != null && error.startsWith(ErrorCategory.PARTIAL.wire()) ? ErrorCategory.PARTIAL.wire() : "success";
    }

    private static String errorOf(Object output) {
        if (output instanceof ListCallsOutput list) {
            return list.error();
        }
        if (output instanceof GetRecordingOutput recording) {
            return recording.error();
        }
        return null;
    }

    /** The REST status: 200 for success (partial included), else the failure's. */
    public int httpStatus(int successStatus) {
        return failure == null ? successStatus : failure.httpStatus();
    }
}
