package dev.voicegate.voice;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.idempotency.Fingerprint;
import dev.voicegate.idempotency.IdempotencyKeys;
import dev.voicegate.idempotency.IdempotencyKeys.Stored;
import dev.voicegate.idempotency.KeyRecord;
import dev.voicegate.idempotency.StoreUnavailableException;
import dev.voicegate.twilio.TwilioCredentials;
import io.smallrye.mutiny.Uni;

/**
 * make_call with an idempotency key, as payment APIs do it: the first request with a key claims it
 * atomically and places the call; the same key with the same parameters replays the stored outcome
 * without calling Twilio; with other parameters it is refused. Concurrent requests wait for the first.
 * An ambiguous attempt is never simply resent: the next request with the key first looks for the call
 * on Twilio, and places it only when it has not shown up within a grace period.
 */
@ApplicationScoped
class IdempotentMakeCall {

    private static final Logger LOG = Logger.getLogger(IdempotentMakeCall.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final IdempotencyKeys keys;
    private final EarlierAttempt earlier;
    private final VoicegateConfig.Idempotency settings;
    private final Clock clock;

    IdempotentMakeCall(IdempotencyKeys keys, EarlierAttempt earlier, VoicegateConfig config) {
        this.keys = keys;
        this.earlier = earlier;
        this.settings = config.idempotency();
        this.clock = Clock.systemUTC();
    }

    /** Places the call at most once per key; {@code placer} makes the actual (non-idempotent) attempt. */
    Uni<ActionResult<MakeCallOutput>> run(MakeCallInput input, TwilioCredentials credentials,
            Supplier<Uni<ActionResult<MakeCallOutput>>> placer) {
        Attempt attempt = new Attempt(slot(input),
                fingerprint(input), input, credentials, placer, clock.millis() + settings.inFlightWait().toMillis());
        return claim(attempt)
                .onFailure(StoreUnavailableException.class).recoverWithItem(failure -> {
                    LOG.warnf("Idempotency store (%s) unreachable: keyed make_call refused", keys.kind());
                    return KeyFailures.storeUnreachable();
                });
    }

    /** Whether a request already used this input's key (approval is asked only before a key's first attempt). */
    Uni<Boolean> started(MakeCallInput input) {
        return keys.get(slot(input)).map(stored -> stored != null);
    }

    private static String slot(MakeCallInput input) {
        return input.accountSid().toLowerCase() + ":" + input.idempotencyKey();
    }

    /** Every parameter but the key, so "same key, same request" can be told from a reused key. */
    static String fingerprint(MakeCallInput input) {
        return Fingerprint.of(input, "idempotencyKey");
    }

    private record Attempt(String key, String fingerprint, MakeCallInput input, TwilioCredentials credentials,
            Supplier<Uni<ActionResult<MakeCallOutput>>> placer, long waitUntil) {
    }

    private Uni<ActionResult<MakeCallOutput>> claim(Attempt attempt) {
        Stored claim = keys.of(KeyRecord.inFlight(attempt.fingerprint(), clock.millis(), lease()));
        return keys.claim(attempt.key(), claim)
                .flatMap(existing -> existing == null ? place(attempt, claim) : follow(attempt, existing));
    }

    /** Decides from what another request left under the key. */
    private Uni<ActionResult<MakeCallOutput>> follow(Attempt attempt, Stored stored) {
        KeyRecord record = stored.record();
        long now = clock.millis();
        if (!record.fingerprint().equals(attempt.fingerprint())) {
            return Uni.createFrom().item(KeyFailures.reused());
        }
        if (record.state() == KeyRecord.State.DONE) {
            MakeCallOutput output = keys.output(record, MakeCallOutput.class);
            return Uni.createFrom().item(new ActionResult<>(output, record.failure(), null, true));
        }
        if (record.state() == KeyRecord.State.UNKNOWN || record.leaseExpired(now)) {
            return reconcile(attempt, stored);
        }
        if (now >= attempt.waitUntil()) {
            return Uni.createFrom().item(KeyFailures.stillInProgress());
        }
        // In flight elsewhere: wait for its outcome without blocking, then look again.
        return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).flatMap(ignored -> lookAgain(attempt));
    }

    /** Another request changed the key meanwhile: go by what is there now. */
    private Uni<ActionResult<MakeCallOutput>> lookAgain(Attempt attempt) {
        return keys.get(attempt.key()).flatMap(latest -> latest == null ? claim(attempt) : follow(attempt, latest));
    }

    /** Places the call under a claim this request owns, then records what happened. */
    private Uni<ActionResult<MakeCallOutput>> place(Attempt attempt, Stored claim) {
        return attempt.placer().get().flatMap(result -> record(attempt.key(), claim, result)
                .onFailure().recoverWithItem(storeFailure -> {
                    // The call's fate is known to this caller; a later retry reconciles with Twilio.
                    LOG.warnf("Could not record a make_call outcome in the idempotency store (%s)", keys.kind());
                    return false;
                })
                .replaceWith(result));
    }

    /** Keeps an outcome worth replaying, marks an ambiguous one, frees the key when nothing was placed. */
    private Uni<Boolean> record(String key, Stored claim, ActionResult<MakeCallOutput> result) {
        ActionFailure failure = result.failure();
        if (failure == null || keepsOutcome(failure.category())) {
            return keys.replace(key, claim, keys.done(claim, result.output(), result.httpStatus(201), failure));
        }
        if (failure.category() == ErrorCategory.OUTCOME_UNKNOWN) {
            return keys.replace(key, claim, keys.of(claim.record().unknown()));
        }
        // Provably not placed (429, no connection, circuit open): free the key for a retry.
        return keys.remove(key, claim);
    }

    /** Outcomes worth replaying: success and Twilio's own refusals (4xx). */
    private static boolean keepsOutcome(ErrorCategory category) {
        return category == ErrorCategory.TWILIO_ERROR || category == ErrorCategory.UNAUTHORIZED
                || category == ErrorCategory.FORBIDDEN || category == ErrorCategory.NOT_FOUND;
    }

    /** The earlier attempt was ambiguous: take the key over, then look for its call on Twilio. */
    private Uni<ActionResult<MakeCallOutput>> reconcile(Attempt attempt, Stored stored) {
        Stored checking = keys.of(stored.record().checking(clock.millis(), lease()));
        return keys.replace(attempt.key(), stored, checking)
                .flatMap(owned -> owned ? check(attempt, checking) : lookAgain(attempt));
    }

    /** Twilio shows the earlier attempt's call, or does not yet, or never got it: then it is placed now. */
    private Uni<ActionResult<MakeCallOutput>> check(Attempt attempt, Stored checking) {
        return earlier.resolve(attempt.key(), checking, attempt.input(), attempt.credentials())
                .flatMap(answer -> answer.isPresent() ? Uni.createFrom().item(answer.get()) : placeAgain(attempt, checking));
    }

    /** Not on Twilio after the grace period: the earlier attempt never reached it, so place the call now. */
    private Uni<ActionResult<MakeCallOutput>> placeAgain(Attempt attempt, Stored checking) {
        Stored claim = keys.of(KeyRecord.inFlight(attempt.fingerprint(), clock.millis(), lease()));
        return keys.replace(attempt.key(), checking, claim)
                .flatMap(owned -> owned ? place(attempt, claim) : lookAgain(attempt));
    }

    private long lease() {
        return settings.inFlightLease().toMillis();
    }
}
