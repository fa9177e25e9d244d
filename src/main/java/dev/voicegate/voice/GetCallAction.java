package dev.voicegate.voice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioCredentials;
import io.smallrye.mutiny.Uni;

/**
 * get_call: one call as it is now, or once it has ended when {@code wait_seconds} is given ({@link CallFollower}),
 * with its recording SIDs from one lookup: after the last fetch when waiting, else beside the one fetch (one round
 * trip).
 * <p>
 * Read-only: it only reads from Twilio and changes nothing, so it is safe to repeat and to retry.
 */
// Catalog order: higher first (ActionDispatcher).
@Priority(10)
@ApplicationScoped
public class GetCallAction implements Action<GetCallInput, GetCallOutput> {

    private final CallFollower follower;
    private final RecordingFanOut recordings;

    GetCallAction(CallFollower follower, RecordingFanOut recordings) {
        this.follower = follower;
        this.recordings = recordings;
    }

    @Override
    public String name() {
        return "get_call";
    }

    @Override
    public String description() {
        return "Fetch one call by its SID (CA followed by 32 hex digits, as make_call and list_calls return it): status, "
                + "whether it is final, who or what answered (answered_by needs machine_detection on make_call), "
                + "duration, price and its recording_sids (for get_recording); with wait_seconds (0-60), first wait "
                + "for the call to end, and get final: false if it has not by then. Read-only.";
    }

    @Override
    public String title() {
        return "Get a call, optionally waiting for its outcome";
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public Class<GetCallInput> inputType() {
        return GetCallInput.class;
    }

    @Override
    public GetCallOutput failure(String error) {
        return GetCallOutput.failure(error);
    }

    @Override
    public Uni<ActionResult<GetCallOutput>> run(GetCallInput input, ActionContext context) {
        TwilioCredentials credentials = context.credentials();
        Duration wait = input.waitOrDefault();
        Uni<CallFollower.Followed> followed = follower.follow(credentials, input.callSid(), wait, context.progress());
        Uni<ActionResult<GetCallOutput>> result;
        if (!input.includeRecordingsOrDefault()) {
            result = followed.map(call -> ActionResult.ok(output(call, null)));
        } else if (wait.isZero()) {
            // Nothing to wait for: the only fetch is the last one, so the recordings are looked up beside it. The
            // fetch is subscribed first: when the limiter refuses it at the door, the lookup is never sent.
            result = Uni.combine().all().unis(followed, recordings.lookup(credentials, input.callSid())).asTuple()
                    .map(both -> ActionResult.ok(output(both.getItem1(), both.getItem2())));
        } else {
            result = followed.flatMap(call -> recordings.lookup(credentials, input.callSid())
                    .map(lookup -> ActionResult.ok(output(call, lookup))));
        }
        return result.onFailure().recoverWithItem(failure -> {
            ActionFailure reason = Failures.of(failure, "the call", false);
            return ActionResult.failed(GetCallOutput.failure(reason.error()), reason);
        });
    }

    /** {@code lookup} null when recordings were not asked for. */
    private static GetCallOutput output(CallFollower.Followed followed, RecordingFanOut.Lookup lookup) {
        List<String> notes = new ArrayList<>();
        if (followed.stoppedBy() != null) {
            notes.add("the wait ended early because the call could not be fetched again ("
                    + Failures.of(followed.stoppedBy(), "the call", false).error() + "); the status is the last one "
                    + "fetched");
        }
        if (lookup != null && lookup.outcome() == RecordingFanOut.Lookup.Outcome.FAILED) {
            notes.add("the recordings could not be looked up; recording_sids is left out because it is unknown");
        }
        if (lookup != null && lookup.outcome() == RecordingFanOut.Lookup.Outcome.CUT_SHORT) {
            notes.add("the call's recordings run past the pages read per call; recording_sids holds only those pages");
        }
        String error = notes.isEmpty() ? null
                : ErrorCategory.PARTIAL.wire() + ": " + String.join("; ", notes) + ". Retrying may help.";
        List<String> sids = lookup == null || lookup.outcome() == RecordingFanOut.Lookup.Outcome.FAILED ? null
                : lookup.recordingSids();
        return GetCallOutput.of(followed.call(), sids, error);
    }
}
