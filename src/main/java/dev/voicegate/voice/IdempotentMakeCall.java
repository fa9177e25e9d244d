package dev.voicegate.voice;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.idempotency.Fingerprint;
import dev.voicegate.idempotency.IdempotencyStore;
import dev.voicegate.idempotency.KeyRecord;
import dev.voicegate.idempotency.StoreUnavailableException;
import dev.voicegate.twilio.CallQuery;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
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
    /** Twilio's dates have whole seconds and its clock is not ours: accept calls created this much earlier. */
    private static final long CLOCK_SKEW_MILLIS = 2_000;

    private final IdempotencyStore store;
    private final TwilioClient twilio;
    private final ObjectMapper json;
    private final VoicegateConfig.Idempotency settings;
    private final Clock clock;

    IdempotentMakeCall(IdempotencyStore store, TwilioClient twilio, ObjectMapper json, VoicegateConfig config) {
        this.store = store;
        this.twilio = twilio;
        this.json = json;
        this.settings = config.idempotency();
        this.clock = Clock.systemUTC();
    }

    /** Places the call at most once per key; {@code placer} makes the actual (non-idempotent) attempt. */
    Uni<ActionResult<MakeCallOutput>> run(MakeCallInput input, TwilioCredentials credentials,
            Supplier<Uni<ActionResult<MakeCallOutput>>> placer) {
        Attempt attempt = new Attempt(input.accountSid().toLowerCase() + ":" + input.idempotencyKey(),
                fingerprint(input), input, credentials, placer, clock.millis() + settings.inFlightWait().toMillis());
        return claim(attempt)
                .onFailure(StoreUnavailableException.class).recoverWithItem(failure -> {
                    LOG.warnf("Idempotency store (%s) unreachable: keyed make_call refused", store.kind());
                    return failed(new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the idempotency store is "
                            + "unreachable, so the call was not placed (it could not be protected against duplicates). "
                            + "Retrying later may help.", 503, null));
                });
    }

    private record Attempt(String key, String fingerprint, MakeCallInput input, TwilioCredentials credentials,
            Supplier<Uni<ActionResult<MakeCallOutput>>> placer, long waitUntil) {
    }

    private Uni<ActionResult<MakeCallOutput>> claim(Attempt attempt) {
        KeyRecord claim = KeyRecord.inFlight(attempt.fingerprint(), clock.millis(), settings.inFlightLease().toMillis());
        return store.putIfAbsent(attempt.key(), write(claim), settings.ttl())
                .flatMap(existing -> existing == null ? place(attempt, claim) : follow(attempt, existing));
    }

    /** Decides from what another request left under the key. */
    private Uni<ActionResult<MakeCallOutput>> follow(Attempt attempt, String stored) {
        KeyRecord record = read(stored);
        if (!record.fingerprint().equals(attempt.fingerprint())) {
            return Uni.createFrom().item(failed(new ActionFailure(ErrorCategory.INVALID_REQUEST, "'idempotency_key' "
                    + "was already used with different parameters; use a new key for a new call. Retrying will not help.",
                    409, null)));
        }
        long now = clock.millis();
        if (record.state() == KeyRecord.State.DONE) {
            return Uni.createFrom().item(replay(record));
        }
        if (record.state() == KeyRecord.State.UNKNOWN || record.leaseExpired(now)) {
            return reconcile(attempt, stored, record);
        }
        if (now >= attempt.waitUntil()) {
            return Uni.createFrom().item(failed(new ActionFailure(ErrorCategory.RATE_LIMITED, "a make_call with this "
                    + "idempotency_key is still in progress; retry with the same key in a few seconds.", 409,
                    Duration.ofSeconds(1))));
        }
        // In flight elsewhere: wait for its outcome without blocking, then look again.
        return Uni.createFrom().voidItem().onItem().delayIt().by(POLL)
                .flatMap(ignored -> store.get(attempt.key()))
                .flatMap(latest -> latest == null ? claim(attempt) : follow(attempt, latest));
    }

    /** Places the call under a claim this request owns, then records what happened. */
    private Uni<ActionResult<MakeCallOutput>> place(Attempt attempt, KeyRecord claim) {
        String claimed = write(claim);
        return attempt.placer().get().flatMap(result -> {
            Uni<Boolean> recorded;
            ActionFailure failure = result.failure();
            if (failure == null || keepsOutcome(failure.category())) {
                recorded = store.replace(attempt.key(), claimed, write(claim.done(json.valueToTree(result.output()),
                        result.httpStatus(201), failure == null ? null : failure.category().name())), settings.ttl());
            } else if (failure.category() == ErrorCategory.OUTCOME_UNKNOWN) {
                recorded = store.replace(attempt.key(), claimed, write(claim.unknown()), settings.ttl());
            } else {
                // Provably not placed (429, no connection, circuit open): free the key for a retry.
                recorded = store.remove(attempt.key(), claimed);
            }
            return recorded
                    .onFailure().recoverWithItem(storeFailure -> {
                        // The call's fate is known to this caller; a later retry reconciles with Twilio.
                        LOG.warnf("Could not record a make_call outcome in the idempotency store (%s)", store.kind());
                        return false;
                    })
                    .replaceWith(result);
        });
    }

    /** The previous attempt was ambiguous: find its call on Twilio before placing anything. */
    private Uni<ActionResult<MakeCallOutput>> reconcile(Attempt attempt, String stored, KeyRecord record) {
        long now = clock.millis();
        KeyRecord checking = record.checking(now, settings.inFlightLease().toMillis());
        String checkingValue = write(checking);
        return store.replace(attempt.key(), stored, checkingValue, settings.ttl()).flatMap(owned -> {
            if (!owned) {
                return store.get(attempt.key()).flatMap(latest -> latest == null ? claim(attempt) : follow(attempt, latest));
            }
            MakeCallInput input = attempt.input();
            CallQuery query = new CallQuery(input.to(), input.from(), null, null, null, 50, null, null);
            return twilio.listCalls(attempt.credentials(), query)
                    .map(page -> earliestSince(page.callsOrEmpty(), record.startedAt()))
                    .flatMap(found -> {
                        if (found != null) {
                            MakeCallOutput output = MakeCallOutput.of(found);
                            KeyRecord done = checking.done(json.valueToTree(output), 201, null);
                            return store.replace(attempt.key(), checkingValue, write(done), settings.ttl())
                                    .replaceWith(new ActionResult<>(output, null, null, true));
                        }
                        long waited = clock.millis() - record.startedAt();
                        if (waited < settings.reconcileGrace().toMillis()) {
                            Duration left = Duration.ofMillis(settings.reconcileGrace().toMillis() - waited);
                            return store.replace(attempt.key(), checkingValue, write(record.unknown()), settings.ttl())
                                    .replaceWith(failed(new ActionFailure(ErrorCategory.OUTCOME_UNKNOWN, "an earlier "
                                            + "attempt with this idempotency_key may have placed the call and Twilio "
                                            + "does not show it yet; retry with the same key after the wait and it "
                                            + "will be placed only if it still does not show up.", 502, left)));
                        }
                        KeyRecord claim = KeyRecord.inFlight(attempt.fingerprint(), clock.millis(),
                                settings.inFlightLease().toMillis());
                        return store.replace(attempt.key(), checkingValue, write(claim), settings.ttl())
                                .flatMap(stillOwned -> stillOwned ? place(attempt, claim) : follow(attempt, checkingValue));
                    })
                    .onFailure(failure -> !(failure instanceof StoreUnavailableException)).recoverWithUni(failure ->
                            store.replace(attempt.key(), checkingValue, write(record.unknown()), settings.ttl())
                                    .replaceWith(failed(new ActionFailure(ErrorCategory.OUTCOME_UNKNOWN, "an earlier "
                                            + "attempt with this idempotency_key may have placed the call, and Twilio "
                                            + "could not be checked now; retry with the same key later.", 502, null))));
        });
    }

    /** Twilio's list is newest first: the earliest call created since the attempt began is its call. */
    private static TwilioCall earliestSince(List<TwilioCall> calls, long startedAt) {
        TwilioCall earliest = null;
        for (TwilioCall call : calls) {
            OffsetDateTime created = WireValues.instant(call.dateCreated());
            if (created != null && created.toInstant().toEpochMilli() >= startedAt - CLOCK_SKEW_MILLIS) {
                earliest = call;
            }
        }
        return earliest;
    }

    /** Outcomes worth replaying: success and Twilio's own refusals (4xx). */
    private static boolean keepsOutcome(ErrorCategory category) {
        return category == ErrorCategory.TWILIO_ERROR || category == ErrorCategory.UNAUTHORIZED
                || category == ErrorCategory.FORBIDDEN || category == ErrorCategory.NOT_FOUND;
    }

    private ActionResult<MakeCallOutput> replay(KeyRecord record) {
        MakeCallOutput output = json.convertValue(record.output(), MakeCallOutput.class);
        ActionFailure failure = record.category() == null ? null
                : new ActionFailure(ErrorCategory.valueOf(record.category()),
                        output.error().substring(output.error().indexOf(": ") + 2), record.httpStatus(), null);
        return new ActionResult<>(output, failure, null, true);
    }

    private static ActionResult<MakeCallOutput> failed(ActionFailure failure) {
        return ActionResult.failed(MakeCallOutput.failure(failure.error()), failure);
    }

    /** Every parameter but the key, so "same key, same request" can be told from a reused key. */
    static String fingerprint(MakeCallInput input) {
        return Fingerprint.of(input, "idempotencyKey");
    }

    private String write(KeyRecord record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a KeyRecord is always serializable", e);
        }
    }

    private KeyRecord read(String stored) {
        try {
            return json.readValue(stored, KeyRecord.class);
        } catch (JsonProcessingException e) {
            throw new StoreUnavailableException("unreadable idempotency record", e);
        }
    }
}
