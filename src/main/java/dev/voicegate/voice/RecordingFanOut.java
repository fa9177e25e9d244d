package dev.voicegate.voice;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.voicegate.Sid;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.observability.ActionMetrics;
import dev.voicegate.twilio.PageCursor;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioRecordingPage;
import dev.voicegate.twilio.limit.AccountLimiter;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/**
 * Looks up the recording SIDs of many calls at once, results in the calls' order, by one of two strategies
 * that give the same SIDs in the same order:
 * <ul>
 * <li><b>per call</b>: one non-blocking lookup per call, at most
 * {@code voicegate.list-calls.recording-lookup-concurrency} (c) in flight;</li>
 * <li><b>join</b> ({@link RecordingJoin}): a few pages of the account's recordings list joined on
 * {@code call_sid}, for the parent legs; child legs and calls without a valid SID or creation time are looked up
 * per call meanwhile.</li>
 * </ul>
 * The rule: the join runs when it is enabled ({@code voicegate.list-calls.recording-join}) and there are more than
 * 2 × c joinable calls, or when its first page was read beside the calls page ({@link #speculates}). Up to 2 × c,
 * per call needs at most two rounds of lookups, about what the join needs, and stays exact whatever the account's
 * recording volume. The join reads at most ceil(joinable / c) pages (at least the one already read), the number of
 * rounds per call would need, and for up to 2 × c calls only the page read beside the calls page: a second page
 * would come after it, where per call's first round already goes. Calls it has not settled by then, or when a page
 * fails, are then looked up per call (c at once). So the join never makes more list requests than per call would
 * make rounds, never takes more rounds than per call alone, and a window holding far more recordings than calls
 * costs at most that many requests more than per call alone.
 * <p>
 * The lookups beside the join (child legs: a recording's {@code call_sid} is the parent leg) cannot start before
 * the calls page, and they are what the answer waits for: they take as many slots as the account's bound
 * ({@code voicegate.upstream.max-concurrent-per-account}) leaves beside one join page, spread over as few rounds
 * as that allows, evenly (50 child legs with 32 slots: two rounds of 25). A child leg that the join's first page,
 * read beside the calls page, shows to have no recordings is not looked up at all ({@link ChildLegs}).
 * <p>
 * Each request has its own timeout and retries (in {@link TwilioClient}); a lookup that still fails is reported,
 * never turned into an empty list, and so is a call whose recordings run past {@value #MAX_PAGES_PER_CALL} pages.
 */
@ApplicationScoped
public class RecordingFanOut {

    /** Recording pages followed per call: a call with more than 10,000 recordings is not a real case. */
    static final int MAX_PAGES_PER_CALL = 10;

    /**
     * The smallest page of latest calls whose recordings join always starts beside the calls page. A smaller page
     * (the default page of 50, or "the latest 10") starts it there only while the account has room
     * ({@link AccountLimiter#hasRoom}): under load, its two first requests per list_calls would let more list_calls
     * through the slots than the service's core can serve, and the door sheds by slots, not by CPU
     * (docs/performance.md, how list_calls gets there).
     */
    static final int SPECULATE_FROM_PAGE_SIZE = 100;

    private final TwilioClient twilio;
    private final RecordingJoin join;
    private final ActionMetrics metrics;
    private final int concurrency;
    private final boolean joinEnabled;
    /** Lookups in flight beside one join page: the account's bound less that page. */
    private final int besideJoin;
    /** Whether an account has room for a request ahead of need. */
    private final Predicate<String> hasRoom;

    @Inject
    RecordingFanOut(TwilioClient twilio, RecordingJoin join, ActionMetrics metrics, VoicegateConfig config,
            AccountLimiter limiter) {
        this(twilio, join, metrics, config.listCalls().recordingLookupConcurrency(), config.listCalls().recordingJoin(),
                config.upstream().maxConcurrentPerAccount(), limiter::hasRoom);
    }

    /** As configured by {@code voicegate.list-calls.*}; RecordingJoinTest builds one with the join disabled. */
    RecordingFanOut(TwilioClient twilio, RecordingJoin join, ActionMetrics metrics, int concurrency, boolean joinEnabled) {
        this(twilio, join, metrics, concurrency, joinEnabled, concurrency, account -> false);
    }

    private RecordingFanOut(TwilioClient twilio, RecordingJoin join, ActionMetrics metrics, int concurrency,
            boolean joinEnabled, int accountBound, Predicate<String> hasRoom) {
        this.twilio = twilio;
        this.join = join;
        this.metrics = metrics;
        this.concurrency = concurrency;
        this.joinEnabled = joinEnabled;
        this.besideJoin = Math.max(1, accountBound - 1);
        this.hasRoom = hasRoom;
    }

    /** One call's recording SIDs: all of them, only the first pages' ({@code CUT_SHORT}), or unknown ({@code FAILED}). */
    public record Lookup(String callSid, List<String> recordingSids, Outcome outcome) {

        public enum Outcome {
            COMPLETE, CUT_SHORT, FAILED
        }

        static Lookup failed(String callSid) {
            return new Lookup(callSid, List.of(), Outcome.FAILED);
        }
    }

    /**
     * Whether a list_calls of the latest calls (no cursor, no start-time filter: the page starts at the newest call)
     * of this page size reads the recordings list's first page beside its calls page ({@link #head}): from
     * {@value #SPECULATE_FROM_PAGE_SIZE} calls always, and smaller pages while the account has room.
     */
    public boolean speculates(int pageSize, String accountSid) {
        return joinEnabled && (pageSize >= SPECULATE_FROM_PAGE_SIZE || hasRoom.test(accountSid));
    }

    /** The recordings list's first page for a page of {@code pageSize} calls, read before they are known. */
    public Uni<Optional<RecordingJoin.Head>> head(TwilioCredentials credentials, int pageSize) {
        return join.head(credentials, pageSize);
    }

    /** The lookups of {@code calls}, in their order. */
    public Uni<List<Lookup>> lookup(TwilioCredentials credentials, List<TwilioCall> calls) {
        return lookup(credentials, calls, null);
    }

    /** The same, with the recordings list's first page when it was read beside the calls page (else null). */
    public Uni<List<Lookup>> lookup(TwilioCredentials credentials, List<TwilioCall> calls, RecordingJoin.Head head) {
        List<TwilioCall> joinable = calls.stream().filter(RecordingJoin::joinable).toList();
        boolean joins = joinEnabled && !joinable.isEmpty() && (head != null || joinable.size() > 2 * concurrency);
        if (!joins) {
            return perCall(credentials, calls, concurrency);
        }
        Set<String> withoutRecordings = ChildLegs.withoutRecordings(head, calls);
        List<TwilioCall> others = calls.stream()
                .filter(call -> !RecordingJoin.joinable(call) && !withoutRecordings.contains(call.sid())).toList();
        if (joinable.size() <= 2 * concurrency) {
            return join.join(credentials, joinable, 1, head)
                    .flatMap(joined -> besideChildLegs(credentials, calls, joined, withoutRecordings, others));
        }
        int maxPages = (joinable.size() + concurrency - 1) / concurrency;
        return Uni.combine().all()
                .unis(join.join(credentials, joinable, maxPages, head),
                        perCall(credentials, others, evenly(others.size(), besideJoin)))
                .withUni((joined, otherLookups) -> perCall(credentials, unsettled(calls, joined), concurrency)
                        .map(late -> inCallOrder(calls, joined, withoutRecordings, otherLookups, late)));
    }

    /**
     * A page of up to 2 × c parent legs, joined with the one page read beside the calls page (the join reads no
     * other): what that page leaves is looked up beside the child legs, not after them, so such a page takes no more
     * rounds than per call alone. Together they stay within the account's bound.
     */
    private Uni<List<Lookup>> besideChildLegs(TwilioCredentials credentials, List<TwilioCall> calls,
            RecordingJoin.Result joined, Set<String> withoutRecordings, List<TwilioCall> others) {
        List<TwilioCall> unsettled = unsettled(calls, joined);
        int othersAtOnce = Math.max(1, besideJoin + 1 - Math.min(unsettled.size(), concurrency));
        return Uni.combine().all()
                .unis(perCall(credentials, others, evenly(others.size(), othersAtOnce)),
                        perCall(credentials, unsettled, concurrency))
                .with((otherLookups, late) -> inCallOrder(calls, joined, withoutRecordings, otherLookups, late));
    }

    /** The joinable calls the join did not settle, in the calls' order. */
    private static List<TwilioCall> unsettled(List<TwilioCall> calls, RecordingJoin.Result joined) {
        return calls.stream().filter(call -> RecordingJoin.joinable(call) && !joined.complete().contains(call.sid())).toList();
    }

    /** Each call's lookup from where it was settled; {@code others} and {@code late} are in the calls' order. */
    private static List<Lookup> inCallOrder(List<TwilioCall> calls, RecordingJoin.Result joined,
            Set<String> withoutRecordings, List<Lookup> others, List<Lookup> late) {
        Iterator<Lookup> other = others.iterator();
        Iterator<Lookup> unsettled = late.iterator();
        List<Lookup> lookups = new ArrayList<>(calls.size());
        for (TwilioCall call : calls) {
            if (withoutRecordings.contains(call.sid())) {
                lookups.add(new Lookup(call.sid(), List.of(), Lookup.Outcome.COMPLETE));
            } else if (!RecordingJoin.joinable(call)) {
                lookups.add(other.next());
            } else if (joined.complete().contains(call.sid())) {
                lookups.add(new Lookup(call.sid(), joined.recordingSidsOf(call.sid()), Lookup.Outcome.COMPLETE));
            } else {
                lookups.add(unsettled.next());
            }
        }
        return List.copyOf(lookups);
    }

    /** How many at once, at most {@code max}, to look up {@code n} calls in as few rounds as possible, all as full. */
    static int evenly(int n, int max) {
        if (n <= max) {
            return Math.max(1, n);
        }
        int rounds = (n + max - 1) / max;
        return (n + rounds - 1) / rounds;
    }

    /** One lookup per call, at most {@code atOnce} in flight, in the calls' order. */
    private Uni<List<Lookup>> perCall(TwilioCredentials credentials, List<TwilioCall> calls, int atOnce) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Lookup>> lookups = calls.stream().map(call -> lookupOne(credentials, call.sid())).toList();
        return Uni.join().all(lookups).usingConcurrencyOf(atOnce).andFailFast();
    }

    /** The recording SIDs of one call, looked up on their own (get_call). */
    public Uni<Lookup> lookup(TwilioCredentials credentials, String callSid) {
        return lookupOne(credentials, callSid);
    }

    private Uni<Lookup> lookupOne(TwilioCredentials credentials, String callSid) {
        if (!Sid.CALL.matches(callSid)) {
            // Never put a value we did not validate into a URL path, even one Twilio sent.
            return Uni.createFrom().item(Lookup.failed(callSid));
        }
        return pages(credentials, callSid, null, List.of(), 1)
                .onSubscription().invoke(metrics::lookupStarted)
                .onTermination().invoke(metrics::lookupEnded)
                .onFailure().recoverWithItem(failure -> Lookup.failed(callSid));
    }

    /** The call's recordings from {@code cursor} on, after those {@code found} on the pages before. */
    private Uni<Lookup> pages(TwilioCredentials credentials, String callSid, PageCursor cursor, List<String> found,
            int pageNumber) {
        return twilio.listCallRecordings(credentials, callSid, cursor, Turn.FOLLOW_UP).flatMap(page -> {
            List<String> sids = Stream.concat(found.stream(),
                    page.recordingsOrEmpty().stream().map(TwilioRecordingPage.Entry::sid)).toList();
            PageCursor next = PageCursor.fromNextPageUri(page.nextPageUri());
            if (next == null) {
                return Uni.createFrom().item(new Lookup(callSid, sids, Lookup.Outcome.COMPLETE));
            }
            if (pageNumber >= MAX_PAGES_PER_CALL) {
                return Uni.createFrom().item(new Lookup(callSid, sids, Lookup.Outcome.CUT_SHORT));
            }
            return pages(credentials, callSid, next, sids, pageNumber + 1);
        });
    }
}
