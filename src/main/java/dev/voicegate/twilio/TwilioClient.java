package dev.voicegate.twilio;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.twilio.limit.AccountLimiter;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The only way into Twilio. Each public method is one Twilio operation under its own guard from
 * {@link TwilioGuards}: retry, circuit breaker and per-attempt timeout, with the values of {@code TWILIO_TIMEOUT_MS},
 * {@code TWILIO_MAX_RETRIES} and {@code TWILIO_RETRY_DELAY_MS}. A new operation needs a guard there too.
 * <p>
 * Inside those guards, each attempt takes one of its account's slots in {@link AccountLimiter} and holds it
 * only while in flight: not during a retry's backoff. When a new action's first request is refused at the door, or
 * no slot frees up in time, the attempt fails with {@link TwilioException.Throttled}, which is neither retried nor
 * counted by the breakers. The per-attempt timeout covers the whole attempt, the wait for a slot included: it bounds
 * what a caller waits for one attempt, however busy the account is. A first request's wait alone is bounded by
 * {@code voicegate.upstream.max-queue-wait}, which should be shorter than the timeout: then an attempt that
 * never got a slot fails as {@code Throttled} (not retried; for make_call provably not placed) rather than
 * as a timeout (retried for reads; for make_call an unknown outcome, although nothing was sent).
 * <p>
 * Each operation takes the {@link Turn} of its request in its action: the caller knows whether it starts a new
 * action (may be refused at the door) or continues one already under way (goes first, never refused).
 * <p>
 * Each attempt is timed by one timer ({@link AttemptTimeout}, a Vert.x timer on the caller's context) that fails
 * it and cancels it: its slot goes to the next request at once, and the HTTP request is reset. (SmallRye's own
 * timeout would fail the caller but leave the {@code Uni} running, holding its slot and connection; running both
 * cost a second timer, on another thread, per attempt.)
 */
@ApplicationScoped
public class TwilioClient {

    /** Largest page Twilio serves; used for recording lists so one request usually covers a call. */
    public static final int MAX_PAGE_SIZE = 1000;

    private final TwilioRestClient rest;
    private final AccountLimiter limiter;
    private final Duration attemptTimeout;
    private final TwilioGuards guards;

    TwilioClient(@RestClient TwilioRestClient rest, AccountLimiter limiter, VoicegateConfig config,
            TwilioGuards guards) {
        this.rest = rest;
        this.limiter = limiter;
        this.attemptTimeout = Duration.ofMillis(config.twilio().timeoutMs());
        this.guards = guards;
    }

    /** Places a call. Resent only when Twilio provably did not act on it (see {@link RetryPolicy.CreateCall}). */
    public Uni<TwilioCall> createCall(TwilioCredentials credentials, NewCall call, Turn turn) {
        return send(TwilioGuards.CREATE_CALL, credentials, turn, () -> rest.createCall(credentials.accountSid(),
                credentials.basicAuthorization(), call.to(), call.from(), call.url(), call.twiml(),
                call.statusCallback(), call.statusCallbackMethod(), call.statusCallbackEvents(), call.record(), call.recordingStatusCallback(),
                call.timeout(), call.machineDetection()));
    }

    /** One page of the call log. */
    public Uni<TwilioCallPage> listCalls(TwilioCredentials credentials, CallQuery query, Turn turn) {
        return send(TwilioGuards.LIST_CALLS, credentials, turn, () -> rest.listCalls(credentials.accountSid(),
                credentials.basicAuthorization(), query.to(), query.from(), query.status(),
                query.startTimeOnOrAfter(), query.startTimeBefore(), query.pageSize(), query.page(),
                query.pageToken()));
    }

    /**
     * One call, as it is now. A missing one fails with {@link TwilioException.Rejected} (404), which never trips the
     * breaker. get_call sends one per poll while it follows a call: each is a request of its own here.
     */
    public Uni<TwilioCall> fetchCall(TwilioCredentials credentials, String callSid, Turn turn) {
        return send(TwilioGuards.FETCH_CALL, credentials, turn, () -> rest.fetchCall(credentials.accountSid(),
                credentials.basicAuthorization(), callSid));
    }

    /**
     * Sets a call's status to {@code canceled} or {@code completed}, which ends it. Not a create: sending it again
     * changes nothing more, so it is retried as the reads are. A call that has already ended fails with
     * {@link TwilioException.Rejected} (400, code 21220), a missing one with 404.
     */
    public Uni<TwilioCall> updateCallStatus(TwilioCredentials credentials, String callSid, String status, Turn turn) {
        return send(TwilioGuards.UPDATE_CALL, credentials, turn, () -> rest.updateCallStatus(credentials.accountSid(),
                credentials.basicAuthorization(), callSid, status));
    }

    /** One page of a call's recordings. */
    public Uni<TwilioRecordingPage> listCallRecordings(TwilioCredentials credentials, String callSid,
            PageCursor cursor, Turn turn) {
        return send(TwilioGuards.LIST_CALL_RECORDINGS, credentials, turn, () -> rest.listCallRecordings(
                credentials.accountSid(), credentials.basicAuthorization(), callSid, MAX_PAGE_SIZE,
                cursor == null ? null : cursor.page(), cursor == null ? null : cursor.pageToken()));
    }

    /**
     * One page of the account's recordings created on or after {@code query.createdOnOrAfter()}, newest first;
     * the filters are sent again with every page's cursor, as Twilio's own {@code next_page_uri} does.
     */
    public Uni<TwilioRecordingPage> listRecordings(TwilioCredentials credentials, RecordingQuery query, Turn turn) {
        return send(TwilioGuards.LIST_RECORDINGS, credentials, turn, () -> rest.listRecordings(credentials.accountSid(),
                credentials.basicAuthorization(), query.createdOnOrAfter(), query.createdBefore(),
                query.pageSize(), query.cursor() == null ? null : query.cursor().page(),
                query.cursor() == null ? null : query.cursor().pageToken()));
    }

    /** One recording. A missing one fails with {@link TwilioException.Rejected} (404), which never trips the breaker. */
    public Uni<TwilioRecording> fetchRecording(TwilioCredentials credentials, String recordingSid, Turn turn) {
        return send(TwilioGuards.FETCH_RECORDING, credentials, turn, () -> rest.fetchRecording(credentials.accountSid(),
                credentials.basicAuthorization(), recordingSid));
    }

    /** The first page (up to 1000) of a recording's transcriptions: in practice there is one. */
    public Uni<TwilioTranscriptionPage> listTranscriptions(TwilioCredentials credentials, String recordingSid, Turn turn) {
        return send(TwilioGuards.LIST_TRANSCRIPTIONS, credentials, turn, () -> rest.listTranscriptions(credentials.accountSid(),
                credentials.basicAuthorization(), recordingSid, MAX_PAGE_SIZE));
    }

    // Under the operation's guard, every attempt takes a per-account slot, and every failure is classified once,
    // here at the edge.
    //
    // A caller that goes away (cancels) ends a read at once: its attempt under way is cancelled, and no retry follows
    // (SmallRye's guard would do neither). Never a create: a call Twilio may have placed is followed to its outcome,
    // for the ledger, whoever still waits for it.
    private <T> Uni<T> send(String operation, TwilioCredentials credentials, Turn turn, Supplier<Uni<T>> request) {
        Context caller = Vertx.currentContext();
        if (TwilioGuards.CREATE_CALL.equals(operation)) {
            return guards.run(operation, () -> attempt(credentials, turn, request, caller, null));
        }
        return Uni.createFrom().deferred(() -> {
            AttemptTimeout.Abandonment abandonment = new AttemptTimeout.Abandonment();
            return guards.run(operation, () -> attempt(credentials, turn, request, caller, abandonment))
                    .onCancellation().invoke(abandonment::abandon);
        });
    }

    private <T> Uni<T> attempt(TwilioCredentials credentials, Turn turn, Supplier<Uni<T>> request, Context caller,
            AttemptTimeout.Abandonment abandonment) {
        return AttemptTimeout.within(limiter.limit(credentials.accountSid(), turn, request), caller, attemptTimeout,
                this::timedOut, abandonment).onFailure().transform(TwilioFailures::classify);
    }

    private TimeoutException timedOut() {
        return new TimeoutException("Twilio did not answer within " + attemptTimeout.toMillis() + " ms");
    }
}
