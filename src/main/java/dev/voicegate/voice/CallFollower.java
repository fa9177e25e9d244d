package dev.voicegate.voice;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.lifecycle.Draining;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Follows one call for get_call: fetches it, and while it is not final and the wait is not over, fetches it again
 * after a pause that starts at {@code voicegate.get-call.first-poll} and doubles up to {@code max-poll}. The last
 * fetch happens when the wait runs out, so the answer is as fresh as the wait allows.
 * <p>
 * Nothing blocks: a pause is a Vert.x timer, each fetch an ordinary guarded request ({@link TwilioClient#fetchCall}:
 * timeout, retries, breaker, and an account slot held only while it is in flight): the first as a new action's
 * first request, the polls as follow-ups, which the limiter serves first and never refuses. Cancelling the
 * subscription (the caller disconnected) cancels the timer or the fetch in flight, and nothing more is sent. When
 * the instance starts draining (SIGTERM) a pause ends at once and the call is answered as last fetched.
 */
@ApplicationScoped
public class CallFollower {

    private final TwilioClient twilio;
    private final Draining draining;
    private final Vertx vertx;
    private final Duration firstPoll;
    private final Duration maxPoll;

    CallFollower(TwilioClient twilio, Draining draining, Vertx vertx, VoicegateConfig config) {
        this.twilio = twilio;
        this.draining = draining;
        this.vertx = vertx;
        this.firstPoll = config.getCall().firstPoll();
        this.maxPoll = config.getCall().maxPoll();
    }

    /**
     * The call as last fetched, and the failure of a later fetch when one ended the wait early. A failure of the
     * first fetch fails the returned {@code Uni}: then there is no call to answer with.
     */
    public record Followed(TwilioCall call, Throwable stoppedBy) {
    }

    public Uni<Followed> follow(TwilioCredentials credentials, String callSid, Duration wait) {
        return Uni.createFrom().deferred(() -> {
            long deadline = System.nanoTime() + wait.toNanos();
            return twilio.fetchCall(credentials, callSid, Turn.FIRST)
                    .flatMap(call -> next(credentials, callSid, call, deadline, firstPoll));
        });
    }

    private Uni<Followed> next(TwilioCredentials credentials, String callSid, TwilioCall call, long deadline,
            Duration pause) {
        long left = deadline - System.nanoTime();
        if (WireValues.isFinalStatus(call.status()) || left <= 0 || draining.isDraining()) {
            return Uni.createFrom().item(new Followed(call, null));
        }
        Duration longer = pause.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll : pause.multipliedBy(2);
        return pause(left < pause.toNanos() ? Duration.ofNanos(left) : pause)
                .flatMap(ignored -> draining.isDraining()
                        ? Uni.createFrom().item(new Followed(call, null))
                        : twilio.fetchCall(credentials, callSid, Turn.FOLLOW_UP)
                                .flatMap(latest -> next(credentials, callSid, latest, deadline, longer))
                                .onFailure().recoverWithItem(failure -> new Followed(call, failure)));
    }

    /** A timer on the caller's Vert.x context, ended early (on that context) when draining starts. */
    private Uni<Void> pause(Duration duration) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = vertx.getOrCreateContext();
            long timer = vertx.setTimer(Math.max(1, duration.toMillis()), id -> emitter.complete(null));
            Cancellable drain = draining.started().subscribe()
                    .with(started -> context.runOnContext(v -> emitter.complete(null)));
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                drain.cancel();
            });
        });
    }
}
