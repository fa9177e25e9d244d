package dev.voicegate.twilio.limit;

import java.time.Duration;

/**
 * The door of {@link AccountLimiter}: estimates how long a new action's first request would wait for a slot, so
 * that one which would wait too long is refused at once rather than queued. The estimate is the work ahead of it,
 * in requests, times the average time a request holds a slot, divided by the account's slots:
 * <pre>
 *   ahead = follow-ups waiting + firsts waiting × (1 + F) + firsts in flight × F
 *   wait  ≈ (ahead + 1) × hold / slots
 * </pre>
 * where F is the number of follow-ups per first request seen lately (what an admitted action still costs after its
 * first request). Hold time and F are measured over all accounts together: they describe Twilio's latency and the
 * mix of actions, not one account. Until the first hold time is measured, {@value #FIRST_GUESS_MILLIS} ms is
 * assumed (an ordinary Twilio answer), so that a burst right after start-up is not all queued into timeouts.
 * Thread-safe; called under an account's monitor, never the other way round.
 */
final class Door {

    /** The hold time assumed until one is measured. */
    static final long FIRST_GUESS_MILLIS = 100;
    /** Weight of a new hold time in the moving average: about the last 16 requests count. */
    private static final double HOLD_WEIGHT = 1.0 / 16;
    /** The counts behind F are halved after this many first requests, so F follows a changing mix. */
    private static final double DECAY_AFTER = 256;

    private final int slots;
    private final long maxWaitNanos;
    // Guarded by this.
    private double holdNanos = -1; // none measured yet
    private double firsts;
    private double followUps;

    Door(int slots, Duration maxWait) {
        this.slots = slots;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** A request held its slot this long (slot to answer: Twilio's latency, not the wait for the slot). */
    synchronized void held(long nanos) {
        holdNanos = holdNanos < 0 ? nanos : holdNanos + (nanos - holdNanos) * HOLD_WEIGHT;
    }

    /** A request of this turn got a slot. */
    synchronized void granted(Turn turn) {
        if (turn == Turn.FIRST) {
            firsts++;
            if (firsts >= DECAY_AFTER) {
                firsts /= 2;
                followUps /= 2;
            }
        } else {
            followUps++;
        }
    }

    /** The estimated wait of a new first request, in ns. */
    synchronized long estimate(int followUpsWaiting, int firstsWaiting, int firstsInFlight) {
        double hold = holdNanos < 0 ? FIRST_GUESS_MILLIS * 1_000_000.0 : holdNanos;
        double perAction = firsts == 0 ? 0 : followUps / firsts;
        double ahead = followUpsWaiting + firstsWaiting * (1 + perAction) + firstsInFlight * perAction;
        return (long) ((ahead + 1) * hold / slots);
    }

    long maxWaitNanos() {
        return maxWaitNanos;
    }

    /** Whether a first request with this estimated wait may queue. */
    boolean admits(long estimateNanos) {
        return estimateNanos <= maxWaitNanos;
    }
}
