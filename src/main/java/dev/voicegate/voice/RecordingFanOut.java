package dev.voicegate.voice;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.observability.ActionMetrics;
import dev.voicegate.twilio.PageCursor;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioRecording;
import io.smallrye.mutiny.Uni;

/**
 * Looks up the recording SIDs of many calls at once: one non-blocking lookup per call, at most
 * {@code voicegate.list-calls.recording-lookup-concurrency} in flight, results in the calls' order.
 * Each lookup has its own timeout and retries (in {@link TwilioClient}); a lookup that still fails
 * is reported, never turned into an empty list.
 */
@ApplicationScoped
public class RecordingFanOut {

    /** Recording pages followed per call: a call with more than 10,000 recordings is not a real case. */
    private static final int MAX_PAGES_PER_CALL = 10;

    private final TwilioClient twilio;
    private final ActionMetrics metrics;
    private final int concurrency;

    RecordingFanOut(TwilioClient twilio, ActionMetrics metrics, VoicegateConfig config) {
        this.twilio = twilio;
        this.metrics = metrics;
        this.concurrency = config.listCalls().recordingLookupConcurrency();
    }

    /** The outcome of one call's lookup: its recording SIDs, or the failure. */
    public record Lookup(String callSid, List<String> recordingSids, Throwable failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    public Uni<List<Lookup>> lookup(TwilioCredentials credentials, List<TwilioCall> calls) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Lookup>> lookups = calls.stream().map(call -> lookupOne(credentials, call.sid())).toList();
        return Uni.join().all(lookups).usingConcurrencyOf(concurrency).andFailFast();
    }

    private Uni<Lookup> lookupOne(TwilioCredentials credentials, String callSid) {
        if (callSid == null || !Rules.CALL_SID.matcher(callSid).matches()) {
            // Never put a value we did not validate into a URL path, even one Twilio sent.
            return Uni.createFrom().item(new Lookup(callSid, List.of(),
                    new IllegalStateException("Twilio returned a call without a valid SID")));
        }
        return pages(credentials, callSid, null, new ArrayList<>(), 1)
                .onSubscription().invoke(metrics::lookupStarted)
                .onTermination().invoke(metrics::lookupEnded)
                .map(sids -> new Lookup(callSid, sids, null))
                .onFailure().recoverWithItem(failure -> new Lookup(callSid, List.of(), failure));
    }

    private Uni<List<String>> pages(TwilioCredentials credentials, String callSid, PageCursor cursor,
            List<String> sids, int pageNumber) {
        return twilio.listCallRecordings(credentials, callSid, cursor).flatMap(page -> {
            page.recordingsOrEmpty().stream().map(TwilioRecording::sid).forEach(sids::add);
            PageCursor next = PageCursor.fromNextPageUri(page.nextPageUri());
            if (next == null || pageNumber >= MAX_PAGES_PER_CALL) {
                return Uni.createFrom().item(List.copyOf(sids));
            }
            return pages(credentials, callSid, next, sids, pageNumber + 1);
        });
    }
}
