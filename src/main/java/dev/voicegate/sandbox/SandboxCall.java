package dev.voicegate.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One call placed through the sandbox. Only the creation instant is stored: the status is derived from it
 * whenever asked, so the lifecycle advances without timers and a test can move time by swapping the clock.
 * <p>
 * A hang-up through the update route ({@link SandboxStore#hangUp}) is the one thing stored later: the store replaces
 * the record with one carrying the instant, and from then on the call is over, {@code canceled} if it had not been
 * answered yet, else {@code completed} with the time from answer to hang-up.
 * <p>
 * Most calls are answered by a person and completed. A few {@code to} numbers script the other outcomes, so that
 * every result of get_call can be tried without an account (docs/sandbox.md#test-numbers): {@link #BUSY_TO} ends
 * {@code busy}, {@link #NO_ANSWER_TO} rings out to {@code no-answer}, and {@link #MACHINE_TO} is answered by a
 * machine. With {@code MachineDetection}, {@code answered_by} is {@code machine_start} for that number and
 * {@code human} for every other answered call, from the moment of answering.
 *
 * @param seq creation order, used for newest-first ordering and page tokens (sids are random)
 * @param recordingSid sid of the recording the call gets once completed, or null when {@code Record} was not true
 * @param hungUp when the call was hung up through the update route, or null while it follows its script
 */
record SandboxCall(
        long seq,
        String sid,
        String to,
        String from,
        Instant created,
        boolean machineDetection,
        String recordingSid,
        String transcriptionSid,
        Instant hungUp) {

    /** Rings for a second, then ends {@code busy}. */
    static final String BUSY_TO = "+15005550005";
    /** Rings until the time a call would have ended, then ends {@code no-answer}. */
    static final String NO_ANSWER_TO = "+15005550007";
    /** Answered and completed like any number, but by an answering machine. */
    static final String MACHINE_TO = "+15005550008";
    /** Answered like any number, then in progress for {@link #LONG_ENDED}: time to end it by hand (end_call, the console). */
    static final String LONG_TO = "+15005550009";

    /** How long the call stays {@code queued}. */
    static final Duration QUEUED = Duration.ofSeconds(1);
    /** From creation until the callee answers: queued, then ringing. */
    static final Duration ANSWERED = Duration.ofSeconds(2);
    /** From creation until hang-up; the 3 s in progress are the billed {@link #DURATION_SECONDS}. */
    static final Duration ENDED = Duration.ofSeconds(5);
    static final long DURATION_SECONDS = ENDED.minus(ANSWERED).toSeconds();
    /** From creation until hang-up for {@link #LONG_TO}. */
    static final Duration LONG_ENDED = Duration.ofMinutes(10);

    enum Status {
        QUEUED("queued"), RINGING("ringing"), IN_PROGRESS("in-progress"), COMPLETED("completed"), BUSY("busy"),
        NO_ANSWER("no-answer"), CANCELED("canceled");

        final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        boolean isFinal() {
            return this != QUEUED && this != RINGING && this != IN_PROGRESS;
        }
    }

    Status statusAt(Instant now) {
        if (hungUp != null && !now.isBefore(hungUp)) {
            return scriptedAt(hungUp) == Status.IN_PROGRESS ? Status.COMPLETED : Status.CANCELED;
        }
        return scriptedAt(now);
    }

    /** The same call, hung up at {@code at}; only for a call still live then. */
    SandboxCall hangUp(Instant at) {
        return new SandboxCall(seq, sid, to, from, created, machineDetection, recordingSid, transcriptionSid, at);
    }

    /** The status the script gives, as if nobody hung up. */
    private Status scriptedAt(Instant now) {
        Duration age = Duration.between(created, now);
        if (age.compareTo(QUEUED) < 0) {
            return Status.QUEUED;
        }
        if (age.compareTo(ANSWERED) < 0) {
            return Status.RINGING;
        }
        return switch (to) {
            case BUSY_TO -> Status.BUSY;
            case NO_ANSWER_TO -> age.compareTo(ENDED) < 0 ? Status.RINGING : Status.NO_ANSWER;
            default -> age.compareTo(scriptedEnd()) < 0 ? Status.IN_PROGRESS : Status.COMPLETED;
        };
    }

    /**
     * When the call was answered; for a call that ended unanswered, when it was dialed; empty before either.
     */
    Optional<Instant> startTime(Instant now) {
        return switch (statusAt(now)) {
            case IN_PROGRESS, COMPLETED -> Optional.of(answered());
            case BUSY, NO_ANSWER -> Optional.of(created.plus(QUEUED));
            case CANCELED -> rang() ? Optional.of(created.plus(QUEUED)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Twilio's {@code queue_time}: 0 while queued, then how long the call was queued (until a hang-up, if sooner). */
    long queueMillis(Instant now) {
        if (statusAt(now) == Status.QUEUED) {
            return 0;
        }
        return rang() ? QUEUED.toMillis() : Duration.between(created, hungUp).toMillis();
    }

    /** Whether the call reached {@code ringing}: false only for one hung up while queued. */
    boolean rang() {
        return hungUp == null || !hungUp.isBefore(created.plus(QUEUED));
    }

    /** When the call ended; empty unless it completed (Twilio leaves it empty for busy and no-answer calls). */
    Optional<Instant> endTime(Instant now) {
        return isCompleted(now) ? Optional.of(ended()) : Optional.empty();
    }

    /** Set only when machine detection was asked for, from the moment the call is answered. */
    String answeredBy(Instant now) {
        Status status = statusAt(now);
        boolean answered = status == Status.IN_PROGRESS || status == Status.COMPLETED;
        if (!machineDetection || !answered) {
            return null;
        }
        return to.equals(MACHINE_TO) ? "machine_start" : "human";
    }

    /** The instant of the last status change, Twilio's {@code date_updated}. */
    Instant lastUpdate(Instant now) {
        return switch (statusAt(now)) {
            case QUEUED -> created;
            case RINGING -> created.plus(QUEUED);
            case IN_PROGRESS -> answered();
            case COMPLETED, NO_ANSWER, CANCELED -> ended();
            case BUSY -> created.plus(ANSWERED);
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

    /** When a call nobody hangs up ends, counted from its creation. */
    private Duration scriptedEnd() {
        return to.equals(LONG_TO) ? LONG_ENDED : ENDED;
    }

    /** When the call ends: at the hang-up, or at the scripted end. */
    Instant ended() {
        return hungUp != null ? hungUp : created.plus(scriptedEnd());
    }

    /**
     * Seconds from answer to end, rounded up to whole seconds, once completed: {@link #DURATION_SECONDS} unless hung
     * up earlier. The recording lasts as long.
     */
    long durationSeconds() {
        return Math.max(0, (Duration.between(answered(), ended()).toMillis() + 999) / 1000);
    }
}
