package dev.voicegate.voice;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/**
 * How end_call ends a live call at Twilio ({@code POST …/Calls/{Sid}.json}): {@code Status=canceled} for a queued or
 * ringing call, {@code Status=completed} for one in progress. {@code canceled} does not touch a call in progress, so
 * when its answer shows the call still live (it was answered in between), {@code completed} follows, once. A call
 * that ended in between is Twilio's 21220 ("Call is not in-progress"): not a failure, the call is fetched again and
 * reported as already ended. Every request after the first fetch is a follow-up of the action.
 */
@ApplicationScoped
class CallEnding {

    static final String CANCELED = "canceled";
    static final String COMPLETED = "completed";
    /** Twilio: "Call is not in-progress. Cannot redirect." */
    static final int NOT_IN_PROGRESS = 21220;

    /** The call after the request, and whether this request ended it. */
    record Ended(TwilioCall call, boolean byThisRequest) {
    }

    private final TwilioClient twilio;
    private final FetchedStatus fetched;

    CallEnding(TwilioClient twilio, FetchedStatus fetched) {
        this.twilio = twilio;
        this.fetched = fetched;
    }

    /** The call as it is now, recorded in the ledger as a fetch. */
    Uni<TwilioCall> fetch(TwilioCredentials credentials, String callSid, Turn turn) {
        return twilio.fetchCall(credentials, callSid, turn).invoke(fetched::record);
    }

    /** Ends a call last seen with the (not final) {@code status}. */
    Uni<Ended> end(TwilioCredentials credentials, String callSid, String status) {
        if ("in-progress".equals(status)) {
            return update(credentials, callSid, COMPLETED);
        }
        return update(credentials, callSid, CANCELED).flatMap(ended -> ended.byThisRequest()
                && !WireValues.isFinalStatus(ended.call().status())
                ? update(credentials, callSid, COMPLETED)
                : Uni.createFrom().item(ended));
    }

    private Uni<Ended> update(TwilioCredentials credentials, String callSid, String status) {
        return twilio.updateCallStatus(credentials, callSid, status, Turn.FOLLOW_UP)
                .map(call -> new Ended(call, true))
                .onFailure(CallEnding::alreadyEnded).recoverWithUni(() -> fetch(credentials, callSid, Turn.FOLLOW_UP)
                        .map(call -> new Ended(call, false)));
    }

    private static boolean alreadyEnded(Throwable failure) {
        return failure instanceof TwilioException.Rejected rejected
                && rejected.code().filter(code -> code == NOT_IN_PROGRESS).isPresent();
    }
}
