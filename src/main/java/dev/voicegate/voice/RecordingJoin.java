package dev.voicegate.voice;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.voicegate.Sid;
import dev.voicegate.twilio.PageCursor;
import dev.voicegate.twilio.RecordingQuery;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioRecordingPage;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.Uni;

/**
 * Finds the recordings of many calls in a few pages of the account's recordings list
 * ({@code GET /Recordings.json}) instead of one list per call, joined on {@code call_sid}.
 * <p>
 * Why it gives what the per-call lists give: a recording is created at or after its call, and the account list
 * is newest first. So the list is asked for everything created since the UTC day of the oldest call (no upper
 * bound: a recording may be created long after its call, on a later day), and once a page reaches back past a
 * call's own creation every recording of that call has been seen, in Twilio's order. Paging stops when it has
 * passed the oldest call, when the list ends, or after {@code maxPages} pages; calls it has not passed by then
 * are reported as not {@link Result#complete()}, for the caller to look up one by one. A page that fails
 * (after its own retries) ends the join the same way, keeping what the earlier pages settled.
 * <p>
 * The list's first page may be read before the calls are known ({@link #head}): the same list with no date filter
 * at all, newest first, from the top. Up to the oldest call's day it is the very same sequence, so the walk is the
 * same; it only may read further back, where it stops anyway (a recording older than the oldest call). It is
 * never a wrong guess that gives wrong SIDs, only one that may need more pages, followed by its own cursor.
 * <p>
 * Only for calls where {@link #joinable(TwilioCall)}: a recording's {@code call_sid} is the parent leg, so a
 * child leg's recordings cannot be told apart in the account list.
 */
@ApplicationScoped
public class RecordingJoin {

    private static final Logger LOG = Logger.getLogger(RecordingJoin.class);

    /** About four recordings per call: most windows fit in one page; a bigger page only costs parsing. */
    private static final int RECORDINGS_PER_CALL = 4;
    private static final int MIN_PAGE_SIZE = 50;

    private final TwilioClient twilio;

    RecordingJoin(TwilioClient twilio) {
        this.twilio = twilio;
    }

    /**
     * What the join settled: the recording SIDs of each call it found recordings for (Twilio's order), and the
     * calls whose lists are known to be complete; a complete call missing from {@code recordingSids} has none.
     */
    public record Result(Map<String, List<String>> recordingSids, Set<String> complete) {

        public List<String> recordingSidsOf(String callSid) {
            return recordingSids.getOrDefault(callSid, List.of());
        }
    }

    /** The account list's first page, read before the calls were known, and the query that gave it. */
    public record Head(RecordingQuery query, TwilioRecordingPage page) {
    }

    /**
     * The first page of the account's recordings, newest first, with no date filter, sized for {@code pageSize}
     * calls; empty when it fails (the join then starts without it). A {@link Turn#FIRST} request: it is sent beside
     * the calls page, before the action has anything to follow up, and may be refused at the door like it.
     */
    public Uni<Optional<Head>> head(TwilioCredentials credentials, int pageSize) {
        RecordingQuery query = new RecordingQuery(null, null, pageSize(pageSize), null);
        return twilio.listRecordings(credentials, query, Turn.FIRST)
                .map(page -> Optional.of(new Head(query, page)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("recordings join: the first page read beside the calls page failed: %s", failure.toString());
                    return Optional.empty();
                });
    }

    /** A parent leg with a valid SID and a readable creation time. */
    public static boolean joinable(TwilioCall call) {
        return Sid.CALL.matches(call.sid())
                && (call.parentCallSid() == null || call.parentCallSid().isBlank())
                && WireValues.instant(call.dateCreated()) != null;
    }

    /** Joins the recordings of {@code calls} (all {@link #joinable}), reading at most {@code maxPages} pages. */
    public Uni<Result> join(TwilioCredentials credentials, List<TwilioCall> calls, int maxPages) {
        return join(credentials, calls, maxPages, null);
    }

    /**
     * The same, starting from {@code head} (already read, counted in {@code maxPages}) when there is one, else from
     * {@code GET /Recordings.json?DateCreated>=<UTC day of the oldest call>}.
     */
    public Uni<Result> join(TwilioCredentials credentials, List<TwilioCall> calls, int maxPages, Head head) {
        Walk walk = new Walk(calls);
        if (calls.isEmpty() || maxPages < 1) {
            return Uni.createFrom().item(walk.result());
        }
        Uni<Result> pages;
        if (head != null) {
            pages = next(credentials, walk, head.query(), head.page(), 1, maxPages);
        } else {
            RecordingQuery first = new RecordingQuery(walk.oldest.toLocalDate().toString(), null, pageSize(calls.size()), null);
            pages = page(credentials, walk, first, 1, maxPages);
        }
        return pages
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("recordings join ended by a failed page after %d pages: %s", walk.pages, failure.toString());
                    return walk.result();
                });
    }

    /** About {@value #RECORDINGS_PER_CALL} recordings per call: most windows fit in one page. */
    private static int pageSize(int calls) {
        return Math.min(TwilioClient.MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, calls * RECORDINGS_PER_CALL));
    }

    private Uni<Result> page(TwilioCredentials credentials, Walk walk, RecordingQuery query, int number, int maxPages) {
        return twilio.listRecordings(credentials, query, Turn.FOLLOW_UP)
                .flatMap(page -> next(credentials, walk, query, page, number, maxPages));
    }

    /** Takes page {@code number} of {@code query} into the walk, then ends it or reads the next page. */
    private Uni<Result> next(TwilioCredentials credentials, Walk walk, RecordingQuery query, TwilioRecordingPage page,
            int number, int maxPages) {
        List<TwilioRecordingPage.Entry> recordings = page.recordingsOrEmpty();
        walk.add(recordings);
        PageCursor next = PageCursor.fromNextPageUri(page.nextPageUri());
        if (next == null || recordings.isEmpty() || walk.passedOldest()) {
            walk.finished = true;
            return Uni.createFrom().item(walk.result());
        }
        if (number >= maxPages) {
            LOG.debugf("recordings join stopped at its budget of %d pages", maxPages);
            return Uni.createFrom().item(walk.result());
        }
        return page(credentials, walk, query.next(next), number + 1, maxPages);
    }

    /** The state of one join. Pages are read one after another, so no two threads touch it at once. */
    private static final class Walk {
        final Map<String, OffsetDateTime> created = new HashMap<>();
        final Map<String, List<String>> sids = new HashMap<>();
        final OffsetDateTime oldest;
        /** The oldest creation time among the recordings read so far; null before any dated one. */
        OffsetDateTime reachedBack;
        boolean finished;
        int pages;

        Walk(List<TwilioCall> calls) {
            OffsetDateTime min = null;
            for (TwilioCall call : calls) {
                OffsetDateTime at = WireValues.instant(call.dateCreated());
                created.put(call.sid(), at);
                min = min == null || at.isBefore(min) ? at : min;
            }
            oldest = min;
        }

        void add(List<TwilioRecordingPage.Entry> recordings) {
            pages++;
            for (TwilioRecordingPage.Entry recording : recordings) {
                if (recording.callSid() != null && created.containsKey(recording.callSid()) && recording.sid() != null) {
                    sids.computeIfAbsent(recording.callSid(), k -> new ArrayList<>()).add(recording.sid());
                }
                OffsetDateTime at = WireValues.instant(recording.dateCreated());
                if (at != null && (reachedBack == null || at.isBefore(reachedBack))) {
                    reachedBack = at;
                }
            }
        }

        boolean passedOldest() {
            return reachedBack != null && reachedBack.isBefore(oldest);
        }

        /**
         * Complete: every call when the list ended or was passed; otherwise the calls created strictly after the
         * oldest recording read (one created in the same second may still be on the next page).
         */
        Result result() {
            Set<String> complete = new HashSet<>();
            for (Map.Entry<String, OffsetDateTime> call : created.entrySet()) {
                if (finished || (reachedBack != null && call.getValue().isAfter(reachedBack))) {
                    complete.add(call.getKey());
                }
            }
            Map<String, List<String>> settled = new HashMap<>();
            complete.forEach(sid -> {
                if (sids.containsKey(sid)) {
                    settled.put(sid, List.copyOf(sids.get(sid)));
                }
            });
            return new Result(settled, Set.copyOf(complete));
        }
    }
}
