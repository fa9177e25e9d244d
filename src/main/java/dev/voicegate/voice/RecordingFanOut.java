package dev.voicegate.voice;

import java.util.ArrayList;
import java.util.Arrays;
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
 * Looks up the recording SIDs of many calls at once, results in the calls' order, by one of two strategies
 * that give the same SIDs in the same order:
 * <ul>
 * <li><b>per call</b>: one non-blocking lookup per call, at most
 * {@code voicegate.list-calls.recording-lookup-concurrency} (c) in flight;</li>
 * <li><b>join</b> ({@link RecordingJoin}): a few pages of the account's recordings list joined on
 * {@code call_sid}, for the parent legs; child legs and calls without a valid SID or creation time are looked up
 * per call meanwhile (at most c - 1 at once, so the list_calls still has at most c requests in flight).</li>
 * </ul>
 * The rule: the join runs when it is enabled ({@code voicegate.list-calls.recording-join}) and there are more than
 * 2 × c joinable calls. Up to that, per call needs at most two rounds of lookups, about what the join needs, and
 * stays exact whatever the account's recording volume. The join reads at most ceil(joinable / c) pages, the
 * number of rounds per call would need; calls it has not settled by then, or when a page fails, are then looked up
 * per call. So the join never makes more list requests than per call would make rounds, and a window holding far
 * more recordings than calls costs at most that many requests more than per call alone.
 * <p>
 * Each request has its own timeout and retries (in {@link TwilioClient}); a lookup that still fails is reported,
 * never turned into an empty list.
 */
@ApplicationScoped
public class RecordingFanOut {

    /** Recording pages followed per call: a call with more than 10,000 recordings is not a real case. */
    private static final int MAX_PAGES_PER_CALL = 10;

    /** How the recordings are found; {@code AUTO} applies the rule above. */
    public enum Strategy {
        AUTO, PER_CALL, JOIN
    }

    private final TwilioClient twilio;
    private final RecordingJoin join;
    private final ActionMetrics metrics;
    private final int concurrency;
    private final boolean joinEnabled;

    RecordingFanOut(TwilioClient twilio, RecordingJoin join, ActionMetrics metrics, VoicegateConfig config) {
        this.twilio = twilio;
        this.join = join;
        this.metrics = metrics;
        this.concurrency = config.listCalls().recordingLookupConcurrency();
        this.joinEnabled = config.listCalls().recordingJoin();
    }

    /** The outcome of one call's lookup: its recording SIDs, or the failure. */
    public record Lookup(String callSid, List<String> recordingSids, Throwable failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    public Uni<List<Lookup>> lookup(TwilioCredentials credentials, List<TwilioCall> calls) {
        return lookup(credentials, calls, Strategy.AUTO);
    }

    public Uni<List<Lookup>> lookup(TwilioCredentials credentials, List<TwilioCall> calls, Strategy strategy) {
        List<Integer> joinable = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            (RecordingJoin.joinable(calls.get(i)) ? joinable : others).add(i);
        }
        boolean useJoin = !joinable.isEmpty() && switch (strategy) {
            case AUTO -> joinEnabled && joinable.size() > 2 * concurrency;
            case JOIN -> true;
            case PER_CALL -> false;
        };
        Lookup[] results = new Lookup[calls.size()];
        if (!useJoin) {
            return perCall(credentials, calls, all(calls.size()), concurrency, results)
                    .map(filled -> List.copyOf(Arrays.asList(filled)));
        }
        int maxPages = (joinable.size() + concurrency - 1) / concurrency;
        List<TwilioCall> joined = joinable.stream().map(calls::get).toList();
        return Uni.combine().all()
                .unis(join.join(credentials, joined, maxPages),
                        perCall(credentials, calls, others, Math.max(1, concurrency - 1), results))
                .asTuple()
                .flatMap(both -> {
                    RecordingJoin.Result settled = both.getItem1();
                    List<Integer> unsettled = new ArrayList<>();
                    for (int i : joinable) {
                        String sid = calls.get(i).sid();
                        if (settled.complete().contains(sid)) {
                            results[i] = new Lookup(sid, settled.recordingSidsOf(sid), null);
                        } else {
                            unsettled.add(i);
                        }
                    }
                    return perCall(credentials, calls, unsettled, concurrency, results);
                })
                .map(filled -> List.copyOf(Arrays.asList(filled)));
    }

    private static List<Integer> all(int n) {
        List<Integer> indices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            indices.add(i);
        }
        return indices;
    }

    /** Looks up the calls at {@code indices} one by one, at most {@code atOnce} at a time, into {@code results}. */
    private Uni<Lookup[]> perCall(TwilioCredentials credentials, List<TwilioCall> calls, List<Integer> indices,
            int atOnce, Lookup[] results) {
        if (indices.isEmpty()) {
            return Uni.createFrom().item(results);
        }
        List<Uni<Lookup>> lookups = indices.stream()
                .map(i -> lookupOne(credentials, calls.get(i).sid()).invoke(found -> results[i] = found))
                .toList();
        return Uni.join().all(lookups).usingConcurrencyOf(atOnce).andFailFast().replaceWith(results);
    }

    /** The recording SIDs of one call, looked up on their own (get_call). */
    public Uni<Lookup> lookup(TwilioCredentials credentials, String callSid) {
        return lookupOne(credentials, callSid);
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
