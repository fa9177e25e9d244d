package dev.voicegate.twilio.limit;

/**
 * Voicegate's own per-account bound refused a slot: refused at the door, or the queue wait is over. Nothing was sent.
 * The Twilio client maps it, with its message, to {@code TwilioException.Throttled} where it classifies every other
 * failure, so that this package needs nothing of the client's.
 */
public final class LimitReachedException extends RuntimeException {

    LimitReachedException(String message) {
        super(message, null, false, false); // an expected refusal under load: no stack trace to fill
    }
}
