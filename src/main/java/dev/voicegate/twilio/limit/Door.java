package dev.voicegate.twilio.limit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
 * Lock-free: every grant and release of every account updates it, so it takes no monitor (a compare-and-set each;
 * under a race one update may be retried, never lost).
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
    /** The moving average of hold times, as {@link Double#doubleToRawLongBits}; negative: none measured yet. */
    private final AtomicLong holdNanos = new AtomicLong(Double.doubleToRawLongBits(-1));
    private final AtomicReference<Mix> mix = new AtomicReference<>(new Mix(0, 0));

    /** First and follow-up requests granted lately (decayed). */
    private record Mix(double firsts, double followUps) {

        Mix after(Turn turn) {
            if (turn != Turn.FIRST) {
                return new Mix(firsts, followUps + 1);
            }
            return firsts + 1 >= DECAY_AFTER ? new Mix((firsts + 1) / 2, followUps / 2) : new Mix(firsts + 1, followUps);
        }
    }

    Door(int slots, Duration maxWait) {
        this.slots = slots;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** A request held its slot this long (slot to answer: Twilio's latency, not the wait for the slot). */
    void held(long nanos) {
        holdNanos.getAndUpdate(bits -> {
            double hold = Double.longBitsToDouble(bits);
            return Double.doubleToRawLongBits(hold < 0 ? nanos : hold + (nanos - hold) * HOLD_WEIGHT);
        });
    }

    /** A request of this turn got a slot. */
    void granted(Turn turn) {
        mix.getAndUpdate(now -> now.after(turn));
    }

    /** The estimated wait of a new first request, in ns. */
    long estimate(int followUpsWaiting, int firstsWaiting, int firstsInFlight) {
        double measured = Double.longBitsToDouble(holdNanos.get());
        double hold = measured < 0 ? FIRST_GUESS_MILLIS * 1_000_000.0 : measured;
        Mix lately = mix.get();
        double perAction = lately.firsts() == 0 ? 0 : lately.followUps() / lately.firsts();
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
