package dev.voicegate.voice;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.lifecycle.Draining;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/**
 * Follows one call for get_call: fetches it and, while it is not final and the wait is not over, follows it on the
 * call ledger's events when Twilio sends callbacks for it ({@link EventFollower}), otherwise by fetching it again
 * after a pause that starts at {@code voicegate.get-call.first-poll} and doubles up to {@code max-poll}. The last
 * fetch happens when the wait runs out, so the answer is as fresh as the wait allows.
 * <p>
 * Nothing blocks: a pause is a Vert.x timer ({@link Pause}), each fetch an ordinary guarded request
 * ({@link TwilioClient#fetchCall}): the first as a new action's first request, the others as follow-ups, which the
 * limiter serves first and never refuses. Cancelling the subscription (the caller disconnected) cancels the timer or
 * the fetch in flight, and nothing more is sent. When the instance starts draining (SIGTERM) a pause ends at once
 * and the call is answered as last fetched.
 */
@ApplicationScoped
public class CallFollower {

    private final TwilioClient twilio;
    private final Draining draining;
    private final Pause pause;
    private final Ledger ledger;
    private final EventFollower events;
    private final FetchedStatus fetched;
    private final Duration firstPoll;
    private final Duration maxPoll;

    CallFollower(TwilioClient twilio, Draining draining, Pause pause, Ledger ledger, EventFollower events,
            FetchedStatus fetched, VoicegateConfig config) {
        this.twilio = twilio;
        this.draining = draining;
        this.pause = pause;
        this.ledger = ledger;
        this.events = events;
        this.fetched = fetched;
        this.firstPoll = config.getCall().firstPoll();
        this.maxPoll = config.getCall().maxPoll();
    }

    /**
     * The call as last fetched, and the failure of a later fetch when one ended the wait early. A failure of the
     * first fetch fails the returned {@code Uni}: then there is no call to answer with.
     */
    public record Followed(TwilioCall call, Throwable stoppedBy) {
    }

    public Uni<Followed> follow(TwilioCredentials credentials, String callSid, Duration wait,
            ActionContext.Progress progress) {
        return Uni.createFrom().deferred(() -> {
            long deadline = System.nanoTime() + wait.toNanos();
            return twilio.fetchCall(credentials, callSid, Turn.FIRST).invoke(call -> {
                fetched.record(call);
                progress.status(call.status());
            }).flatMap(call -> over(call, deadline) ? Uni.createFrom().item(new Followed(call, null))
                    : onCallbacks(callSid).flatMap(yes -> yes ? events.follow(credentials, call, deadline, progress)
                            : next(credentials, callSid, call, deadline, firstPoll, progress)));
        });
    }

    /** Whether Twilio sends callbacks for the call (the ledger says so); when the ledger cannot tell, no. */
    private Uni<Boolean> onCallbacks(String callSid) {
        return ledger.find(callSid).onFailure().recoverWithItem(Optional.empty())
                .map(entry -> entry.map(LedgerEntry::attempt).map(attempt -> attempt.callbacks()).orElse(false));
    }

    private boolean over(TwilioCall call, long deadline) {
        return WireValues.isFinalStatus(call.status()) || deadline - System.nanoTime() <= 0 || draining.isDraining();
    }

    private Uni<Followed> next(TwilioCredentials credentials, String callSid, TwilioCall call, long deadline,
            Duration pause, ActionContext.Progress progress) {
        if (over(call, deadline)) {
            return Uni.createFrom().item(new Followed(call, null));
        }
        long left = deadline - System.nanoTime();
        Duration longer = pause.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll : pause.multipliedBy(2);
        return this.pause.of(left < pause.toNanos() ? Duration.ofNanos(left) : pause)
                .flatMap(ignored -> draining.isDraining()
                        ? Uni.createFrom().item(new Followed(call, null))
                        : twilio.fetchCall(credentials, callSid, Turn.FOLLOW_UP)
                                .invoke(latest -> {
                                    fetched.record(latest);
                                    if (latest.status() != null && !latest.status().equals(call.status())) {
                                        progress.status(latest.status());
                                    }
                                })
                                .flatMap(latest -> next(credentials, callSid, latest, deadline, longer, progress))
                                .onFailure().recoverWithItem(failure -> new Followed(call, failure)));
    }
}
