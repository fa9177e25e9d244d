package dev.voicegate.voice;

import java.time.Duration;
import java.util.Objects;
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
 * Follows a call for which Twilio sends callbacks: wakes on the call ledger's events, on any replica, and fetches
 * the call only as a safety net ({@code voicegate.callbacks.safety-poll}, for a lost callback) and once at the end,
 * for the authoritative resource (duration, price). Twilio's resource is eventually consistent: when that last
 * fetch still shows the call live after a final callback, the final status stands.
 */
@ApplicationScoped
class EventFollower {

    private final TwilioClient twilio;
    private final Ledger ledger;
    private final Pause pause;
    private final Draining draining;
    private final FetchedStatus fetched;
    private final long safetyPollNanos;

    EventFollower(TwilioClient twilio, Ledger ledger, Pause pause, Draining draining, FetchedStatus fetched,
            VoicegateConfig config) {
        this.twilio = twilio;
        this.ledger = ledger;
        this.pause = pause;
        this.draining = draining;
        this.fetched = fetched;
        this.safetyPollNanos = config.callbacks().safetyPoll().toNanos();
    }

    /** Follows {@code first}, as just fetched, until {@code deadline} ({@link System#nanoTime()}). */
    Uni<CallFollower.Followed> follow(TwilioCredentials credentials, TwilioCall first, long deadline,
            ActionContext.Progress progress) {
        return step(new Leg(credentials, first.sid(), deadline, progress), first, first.status(),
                System.nanoTime() + safetyPollNanos);
    }

    private record Leg(TwilioCredentials credentials, String callSid, long deadline, ActionContext.Progress progress) {
    }

    private Uni<CallFollower.Followed> step(Leg leg, TwilioCall call, String known, long nextPoll) {
        long now = System.nanoTime();
        if (draining.isDraining()) {
            return Uni.createFrom().item(new CallFollower.Followed(call, null));
        }
        if (now - leg.deadline() >= 0) {
            return last(leg, call, known);
        }
        if (now - nextPoll >= 0) {
            return twilio.fetchCall(leg.credentials(), leg.callSid(), Turn.FOLLOW_UP).invoke(fetched::record)
                    .flatMap(latest -> {
                        String status = report(leg, latest.status(), known);
                        return WireValues.isFinalStatus(status) ? Uni.createFrom().item(new CallFollower.Followed(latest, null))
                                : step(leg, latest, status, System.nanoTime() + safetyPollNanos);
                    })
                    .onFailure().recoverWithItem(failure -> new CallFollower.Followed(call, failure));
        }
        Duration until = Duration.ofNanos(Math.min(leg.deadline() - now, nextPoll - now));
        return pause.untilEvent(leg.callSid(), known, until).flatMap(woken -> !woken ? step(leg, call, known, nextPoll)
                : ledger.find(leg.callSid()).onFailure().recoverWithItem(Optional.empty()).flatMap(entry -> {
                    String status = report(leg, entry.map(LedgerEntry::status).orElse(known), known);
                    return entry.map(LedgerEntry::isFinal).orElse(false) ? last(leg, call, status)
                            : step(leg, call, status, nextPoll);
                }));
    }

    /** The one fetch at the end; a final status from the ledger wins over a fetch that does not show it yet. */
    private Uni<CallFollower.Followed> last(Leg leg, TwilioCall call, String known) {
        return twilio.fetchCall(leg.credentials(), leg.callSid(), Turn.FOLLOW_UP).invoke(fetched::record)
                .map(latest -> new CallFollower.Followed(finalWins(latest, known), null))
                .onFailure().recoverWithItem(failure -> new CallFollower.Followed(finalWins(call, known), failure));
    }

    private static TwilioCall finalWins(TwilioCall call, String known) {
        if (WireValues.isFinalStatus(call.status()) || !WireValues.isFinalStatus(known)) {
            return call;
        }
        return new TwilioCall(call.sid(), call.accountSid(), call.parentCallSid(), call.to(), call.from(), known,
                call.direction(), call.duration(), call.price(), call.priceUnit(), call.startTime(), call.endTime(),
                call.dateCreated(), call.answeredBy(), call.uri());
    }

    private static String report(Leg leg, String status, String known) {
        if (status != null && !Objects.equals(status, known)) {
            leg.progress().status(status);
        }
        return status == null ? known : status;
    }
}
