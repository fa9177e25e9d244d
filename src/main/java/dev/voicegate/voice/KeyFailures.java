package dev.voicegate.voice;

import java.time.Duration;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;

/** The answers of a make_call with an idempotency key that placed no call, or none yet, and why. */
final class KeyFailures {

    private KeyFailures() {
    }

    static ActionResult<MakeCallOutput> storeUnreachable() {
        return failed(ErrorCategory.UPSTREAM_UNAVAILABLE, "the idempotency store is unreachable, so the call was not "
                + "placed (it could not be protected against duplicates). Retrying later may help.", 503, null);
    }

    static ActionResult<MakeCallOutput> reused() {
        return failed(ErrorCategory.INVALID_REQUEST, "'idempotency_key' was already used with different parameters; "
                + "use a new key for a new call. Retrying will not help.", 409, null);
    }

    static ActionResult<MakeCallOutput> stillInProgress() {
        return failed(ErrorCategory.RATE_LIMITED, "a make_call with this idempotency_key is still in progress; retry "
                + "with the same key in a few seconds.", 409, Duration.ofSeconds(1));
    }

    static ActionResult<MakeCallOutput> notYetVisible(long graceLeftMillis) {
        return failed(ErrorCategory.OUTCOME_UNKNOWN, "an earlier attempt with this idempotency_key may have placed "
                + "the call and Twilio does not show it yet; retry with the same key after the wait and it will be "
                + "placed only if it still does not show up.", 502, Duration.ofMillis(graceLeftMillis));
    }

    static ActionResult<MakeCallOutput> uncheckable() {
        return failed(ErrorCategory.OUTCOME_UNKNOWN, "an earlier attempt with this idempotency_key may have placed "
                + "the call, and Twilio could not be checked now; retry with the same key later.", 502, null);
    }

    static ActionResult<MakeCallOutput> ambiguous(int calls) {
        return failed(ErrorCategory.OUTCOME_UNKNOWN, "an earlier attempt with this idempotency_key may have placed "
                + "the call, and Twilio shows " + calls + " calls between these numbers since then that no other "
                + "request accounts for, so Voicegate cannot tell which one is this key's; list_calls (to, from_) "
                + "shows them. Retrying with this key will not place another call.", 502, null);
    }

    private static ActionResult<MakeCallOutput> failed(ErrorCategory category, String message, int status,
            Duration retryAfter) {
        ActionFailure failure = new ActionFailure(category, message, status, retryAfter);
        return ActionResult.failed(MakeCallOutput.failure(failure.error()), failure);
    }
}
