package dev.voicegate.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One call placed through the sandbox. Only the creation instant is stored: the status is derived from it
 * whenever asked, so the lifecycle advances without timers and a test can move time by swapping the clock.
 *
 * @param seq creation order, used for newest-first ordering and page tokens (sids are random)
 * @param recordingSid sid of the recording the call gets once completed, or null when {@code Record} was not true
 */
record SandboxCall(
        long seq,
        String sid,
        String to,
        String from,
        Instant created,
        boolean machineDetection,
        String recordingSid,
        String transcriptionSid) {

    /** How long the call stays {@code queued}. */
    static final Duration QUEUED = Duration.ofSeconds(1);
    /** From creation until the callee answers: queued, then ringing. */
    static final Duration ANSWERED = Duration.ofSeconds(2);
    /** From creation until hang-up; the 3 s in progress are the billed {@link #DURATION_SECONDS}. */
    static final Duration ENDED = Duration.ofSeconds(5);
    static final long DURATION_SECONDS = ENDED.minus(ANSWERED).toSeconds();

    enum Status {
        QUEUED("queued"), RINGING("ringing"), IN_PROGRESS("in-progress"), COMPLETED("completed");

        final String wire;

        Status(String wire) {
            this.wire = wire;
        }
    }

    Status statusAt(Instant now) {
        Duration age = Duration.between(created, now);
        if (age.compareTo(QUEUED) < 0) {
            return Status.QUEUED;
        }
        if (age.compareTo(ANSWERED) < 0) {
            return Status.RINGING;
        }
        return age.compareTo(ENDED) < 0 ? Status.IN_PROGRESS : Status.COMPLETED;
    }

    /** When the call was answered; empty while it is still queued or ringing. */
    Optional<Instant> startTime(Instant now) {
        return statusAt(now).compareTo(Status.IN_PROGRESS) >= 0 ? Optional.of(answered()) : Optional.empty();
    }

    /** When the call ended; empty until it is completed. */
    Optional<Instant> endTime(Instant now) {
        return isCompleted(now) ? Optional.of(ended()) : Optional.empty();
    }

    /** The instant of the last status change, Twilio's {@code date_updated}. */
    Instant lastUpdate(Instant now) {
        return switch (statusAt(now)) {
            case QUEUED -> created;
            case RINGING -> created.plus(QUEUED);
            case IN_PROGRESS -> answered();
            case COMPLETED -> ended();
        };
    }

    boolean isCompleted(Instant now) {
        return statusAt(now) == Status.COMPLETED;
    }

    /** A recording exists only after a recorded call has completed, as on Twilio. */
    boolean hasRecording(Instant now) {
        return recordingSid != null && isCompleted(now);
    }

    Instant answered() {
        return created.plus(ANSWERED);
    }

    Instant ended() {
        return created.plus(ENDED);
    }
}
