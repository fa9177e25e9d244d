package dev.voicegate.ledger;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;

/**
 * The call ledger (see the package). Writes about a make_call ({@link #attempted}, {@link #outcome}) never wait
 * and never fail: a store that is down keeps them locally, bounded, and writes them when it is back. Reads fail
 * with {@link LedgerUnavailableException} when the store cannot answer.
 */
public interface Ledger {

    /** Records an attempt, before it is sent to Twilio. */
    void attempted(CallAttempt attempt);

    /** The attempt's outcome: its call SID when Twilio answered (else null), and {@code placed} or an error category. */
    void outcome(String attemptId, String callSid, String outcome);

    /**
     * An earlier attempt with this idempotency key, whose outcome was unknown, turned out to be this call: its
     * entry gets the SID and the outcome {@code placed}.
     */
    void reconciled(String accountSid, String idempotencyKey, String callSid);

    /** Adds an event to the timeline of the call; tells whether it was new, a redelivery, late, or for no known call. */
    Uni<EventOutcome> event(String callSid, StatusEvent event);

    /** The final call resource's details, once fetched. */
    void details(String callSid, CallDetails details);

    /** One relayed callback's outcome. */
    void delivered(String callSid, Delivery delivery);

    Uni<Optional<LedgerEntry>> find(String callSid);

    /** The entries of those call SIDs that the ledger holds, by SID (reconciliation: calls already accounted for). */
    Uni<Map<String, LedgerEntry>> findAll(Collection<String> callSids);

    /** Newest first, filtered, cursor-paged. */
    Uni<LedgerPage> list(LedgerQuery query);

    /**
     * Calls {@code wake} (on no particular thread) whenever an event for the call is recorded, on any replica, until
     * the returned handle is closed.
     */
    Watch watch(String callSid, Runnable wake);

    /**
     * Calls {@code wake} with a call SID (or an attempt's id, or null: anything may have changed) whenever an event
     * of any call is recorded, on any replica, or an entry is added or gets its outcome on this one, until the handle
     * is closed. For live pages: {@code wake} must return at once.
     */
    Watch watchAll(Consumer<String> wake);

    /**
     * Records an operator's control (a key suspended or resumed, every call of an account ended, an approval decided,
     * the do-not-call list changed). Like the other writes, never waits and never fails.
     */
    void control(ControlEvent event);

    /**
     * The control events, newest first, cursor-paged; fails with {@link IllegalArgumentException} (thrown or as the
     * failure) for a page token this ledger did not make.
     */
    Uni<ControlPage> controls(String cursor, int pageSize);

    /** {@code memory} or {@code redis}, for logs and health. */
    String kind();

    /** Writes not yet in the store (Redis down), for readiness; none in memory. */
    default Backlog backlog() {
        return Backlog.NONE;
    }

    /** How long the oldest write not yet in the store has waited; zero when none waits (and in memory). */
    default java.time.Duration writeLag() {
        return java.time.Duration.ZERO;
    }

    /**
     * {@code pending}: writes kept locally, in order; {@code dropped}: writes lost since start because that queue was
     * full; {@code degraded}: the store does not answer writes now.
     */
    record Backlog(int pending, long dropped, boolean degraded) {
        public static final Backlog NONE = new Backlog(0, 0, false);
    }

    /** A registration of {@link #watch}; closing it twice is harmless. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** What {@link #event} did with an event: the values of {@code voicegate_callbacks_total}'s outcome tag. */
    enum EventOutcome {
        ACCEPTED, DUPLICATE, OUT_OF_ORDER, UNKNOWN_CALL;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
