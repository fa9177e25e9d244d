package dev.voicegate.voice;

import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.failure.ActionFailure;

/**
 * What an action produced: the contract output (always set, {@code success} false on failure), the
 * failure behind it when there is one, for list_calls the cursor of the next page, and whether the
 * outcome is a replay of an earlier request with the same idempotency key.
 */
public record ActionResult<T extends ActionOutput>(T output, ActionFailure failure, String nextPageToken, boolean replayed) {

    public static <T extends ActionOutput> ActionResult<T> ok(T output) {
        return new ActionResult<>(output, null, null, false);
    }

    public static <T extends ActionOutput> ActionResult<T> failed(T output, ActionFailure failure) {
        return new ActionResult<>(output, failure, null, false);
    }

    /** For metrics: "success", "partial" or the failure's category. */
    public String outcome() {
        if (failure != null) {
            return failure.category().wire();
        }
        String error = output.error();
        return error != null && error.startsWith(ErrorCategory.PARTIAL.wire()) ? ErrorCategory.PARTIAL.wire() : "success";
    }

    /** The REST status: 200 for success (partial included), else the failure's. */
    public int httpStatus(int successStatus) {
        return failure == null ? successStatus : failure.httpStatus();
    }
}
