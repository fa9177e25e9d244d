package dev.voicegate.voice;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.idempotency.IdempotencyKeys;
import dev.voicegate.idempotency.IdempotencyKeys.Stored;
import dev.voicegate.idempotency.StoreUnavailableException;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.twilio.CallQuery;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/**
 * What became of an earlier keyed make_call whose outcome was unknown, asked of Twilio while this request
 * owns the key: Twilio shows the call (then it is the key's outcome), does not show it yet, or cannot be
 * asked (both: retry later); or the grace period is over without it, and the call is to be placed now.
 * <p>
 * A call between the same numbers that the call ledger already accounts for (placed under another key, or none)
 * is never adopted. When more than one call is left, it does not guess: the outcome stays unknown.
 */
@ApplicationScoped
class EarlierAttempt {

    /** Twilio's dates have whole seconds and its clock is not ours: accept calls created this much earlier. */
    private static final long CLOCK_SKEW_MILLIS = 2_000;
    /** The latest calls between the two numbers: one placed moments ago is among them. */
    private static final int PAGE_SIZE = 50;

    private final IdempotencyKeys keys;
    private final TwilioClient twilio;
    private final Ledger ledger;
    private final long graceMillis;
    private final Clock clock;

    EarlierAttempt(IdempotencyKeys keys, TwilioClient twilio, Ledger ledger, VoicegateConfig config) {
        this.keys = keys;
        this.twilio = twilio;
        this.ledger = ledger;
        this.graceMillis = config.idempotency().reconcileGrace().toMillis();
        this.clock = Clock.systemUTC();
    }

    /** The answer for the key held as {@code checking}, or empty when the call is to be placed now. */
    Uni<Optional<ActionResult<MakeCallOutput>>> resolve(String key, Stored checking, MakeCallInput input,
            TwilioCredentials credentials) {
        long startedAt = checking.record().startedAt();
        CallQuery query = new CallQuery(input.to(), input.from(), null, null, null, PAGE_SIZE, null, null);
        return twilio.listCalls(credentials, query, Turn.FIRST)
                .map(page -> since(page.callsOrEmpty(), startedAt))
                .flatMap(candidates -> unaccounted(candidates, input))
                .flatMap(left -> switch (left.size()) {
                    case 0 -> notFound(key, checking, startedAt);
                    case 1 -> adopt(key, checking, left.get(0), input);
                    default -> unknownAgain(key, checking, KeyFailures.ambiguous(left.size()));
                })
                .onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .recoverWithUni(failure -> unknownAgain(key, checking, KeyFailures.uncheckable()));
    }

    /** The calls created since the attempt began (less the clock skew). */
    private static List<TwilioCall> since(List<TwilioCall> calls, long startedAt) {
        return calls.stream().filter(call -> {
            OffsetDateTime created = WireValues.instant(call.dateCreated());
            return created != null && created.toInstant().toEpochMilli() >= startedAt - CLOCK_SKEW_MILLIS;
        }).toList();
    }

    /** Those of the calls that no other request accounts for in the ledger (a ledger that cannot answer fails it). */
    private Uni<List<TwilioCall>> unaccounted(List<TwilioCall> calls, MakeCallInput input) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(calls);
        }
        return ledger.findAll(calls.stream().map(TwilioCall::sid).toList()).map(known -> calls.stream()
                .filter(call -> !known.containsKey(call.sid()) || ours(known.get(call.sid()), input)).toList());
    }

    /** An entry of this very key (same account and idempotency key) is no other request's. */
    private static boolean ours(LedgerEntry entry, MakeCallInput input) {
        return input.idempotencyKey().equals(entry.attempt().idempotencyKey())
                && input.accountSid().equalsIgnoreCase(entry.attempt().accountSid());
    }

    /** Twilio has the call and nobody else claims it: it is the key's outcome, replayed from now on. */
    private Uni<Optional<ActionResult<MakeCallOutput>>> adopt(String key, Stored checking, TwilioCall call,
            MakeCallInput input) {
        MakeCallOutput output = MakeCallOutput.of(call);
        ledger.reconciled(input.accountSid(), input.idempotencyKey(), call.sid());
        return keys.replace(key, checking, keys.done(checking, output, 201, null))
                .replaceWith(Optional.of(new ActionResult<>(output, null, null, true)));
    }

    /** Not on Twilio: maybe not yet; after the grace period, never, so the call is to be placed now. */
    private Uni<Optional<ActionResult<MakeCallOutput>>> notFound(String key, Stored checking, long startedAt) {
        long graceLeft = startedAt + graceMillis - clock.millis();
        return graceLeft > 0 ? unknownAgain(key, checking, KeyFailures.notYetVisible(graceLeft))
                : Uni.createFrom().item(Optional.empty());
    }

    /** Still unknown: the key is left for a later retry to check again. */
    private Uni<Optional<ActionResult<MakeCallOutput>>> unknownAgain(String key, Stored checking,
            ActionResult<MakeCallOutput> answer) {
        return keys.replace(key, checking, keys.of(checking.record().unknown())).replaceWith(Optional.of(answer));
    }
}
