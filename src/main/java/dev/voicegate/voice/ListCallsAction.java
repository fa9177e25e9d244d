package dev.voicegate.voice;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.CallQuery;
import dev.voicegate.twilio.PageCursor;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioCallPage;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.limit.Turn;
import dev.voicegate.voice.RecordingFanOut.Lookup;
import io.smallrye.mutiny.Uni;

/**
 * list_calls: one page of the call log with filters and, by default, each call's recording SIDs.
 * The start-date window is inclusive at both ends in UTC whatever Twilio's own boundary rules are:
 * Twilio is asked for a slightly wider window and the page is filtered here.
 */
// Catalog order: higher first (ActionDispatcher).
@Priority(30)
@ApplicationScoped
public class ListCallsAction implements Action<ListCallsInput, ListCallsOutput> {

    /** How many failed calls a partial error names before summarising. */
    private static final int NAMED_FAILURES = 20;

    private final TwilioClient twilio;
    private final RecordingFanOut recordings;

    ListCallsAction(TwilioClient twilio, RecordingFanOut recordings) {
        this.twilio = twilio;
        this.recordings = recordings;
    }

    @Override
    public String name() {
        return "list_calls";
    }

    @Override
    public String description() {
        return "List one page of the account's calls, newest first, each with the SIDs of its recordings (for "
                + "get_recording). Filters: 'to' and 'from_' (E.164 numbers, e.g. +14155551234), 'status', and "
                + "'start_time_after'/'start_time_before' (YYYY-MM-DD, both inclusive, UTC). 'page_size' 1-1000 (default 50); "
                + "give the next page's cursor ('next_page_token') as 'page_token' to continue the same listing. Set "
                + "'include_recordings' to false when recordings are not needed. An error starting with 'partial:' still "
                + "lists the calls, but the recording_sids of the calls it names are unknown.";
    }

    @Override
    public String title() {
        return "List calls";
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public Class<ListCallsInput> inputType() {
        return ListCallsInput.class;
    }

    @Override
    public ListCallsOutput failure(String error) {
        return ListCallsOutput.failure(error);
    }

    @Override
    public Uni<ActionResult<ListCallsOutput>> run(ListCallsInput input, ActionContext context) {
        TwilioCredentials credentials = context.credentials();
        Uni<TwilioCallPage> calls = twilio.listCalls(credentials, query(input), Turn.FIRST);
        // The latest calls' recordings are the newest ones: their join's first page is read beside the calls page.
        // Should the calls page fail, the answer does not wait for that read: it is cancelled, its attempt with it
        // (TwilioClient ends a read whose caller went away, and sends no retry).
        Uni<Optional<RecordingJoin.Head>> head = speculates(input, credentials)
                ? recordings.head(credentials, input.pageSizeOrDefault())
                : Uni.createFrom().item(Optional.empty());
        return Uni.combine().all().unis(calls, head).asTuple()
                .flatMap(both -> answer(input, credentials, both.getItem1(), both.getItem2().orElse(null)))
                .onFailure().recoverWithItem(failure -> {
                    ActionFailure reason = Failures.of(failure, "the call log", false);
                    return ActionResult.failed(ListCallsOutput.failure(reason.error()), reason);
                });
    }

    private boolean speculates(ListCallsInput input, TwilioCredentials credentials) {
        return input.includeRecordingsOrDefault() && input.pageToken() == null && input.after() == null
                && input.before() == null && recordings.speculates(input.pageSizeOrDefault(), credentials.accountSid());
    }

    private Uni<ActionResult<ListCallsOutput>> answer(ListCallsInput input, TwilioCredentials credentials,
            TwilioCallPage page, RecordingJoin.Head head) {
        List<TwilioCall> calls = page.callsOrEmpty().stream()
                .filter(call -> inWindow(call, input.after(), input.before()))
                .toList();
        String next = nextPageToken(page);
        if (!input.includeRecordingsOrDefault()) {
            List<CallListItem> items = calls.stream().map(call -> CallListItem.of(call, List.of())).toList();
            return Uni.createFrom().item(result(input, page, items, null, next));
        }
        return recordings.lookup(credentials, calls, head).map(lookups -> withRecordings(input, page, calls, lookups, next));
    }

    private static CallQuery query(ListCallsInput input) {
        PageCursor cursor = input.pageToken() == null ? null : PageTokens.decode(input.pageToken());
        LocalDate after = input.after();
        LocalDate before = input.before();
        return new CallQuery(input.to(), input.from(), input.status(),
                after == null ? null : after.toString(),
                // Twilio's "StartTime<" is "before": ask for the next day and filter the page here.
                before == null ? null : before.plusDays(1).toString(),
                input.pageSizeOrDefault(),
                cursor == null ? null : cursor.page(),
                cursor == null ? null : cursor.pageToken());
    }

    static boolean inWindow(TwilioCall call, LocalDate after, LocalDate before) {
        if (after == null && before == null) {
            return true;
        }
        OffsetDateTime started = WireValues.instant(call.startTime());
        if (started == null) {
            return false;
        }
        LocalDate day = started.toLocalDate();
        return (after == null || !day.isBefore(after)) && (before == null || !day.isAfter(before));
    }

    private static ActionResult<ListCallsOutput> withRecordings(ListCallsInput input, TwilioCallPage page,
            List<TwilioCall> calls, List<Lookup> lookups, String next) {
        List<CallListItem> items = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            items.add(CallListItem.of(calls.get(i), lookups.get(i).recordingSids()));
        }
        return result(input, page, items, partialError(lookups), next);
    }

    /** Null when every call's recordings are known in full; else whose are not, and why. */
    static String partialError(List<Lookup> lookups) {
        List<String> parts = Stream.of(
                about(lookups, Lookup.Outcome.FAILED, "could not be looked up", "their recording_sids are empty "
                        + "because they are unknown, not because there are none. Retrying may help."),
                about(lookups, Lookup.Outcome.CUT_SHORT, "run past the " + RecordingFanOut.MAX_PAGES_PER_CALL
                        + " pages read per call", "their recording_sids hold only those pages. Retrying will not help."))
                .filter(Objects::nonNull).toList();
        if (parts.isEmpty()) {
            return null;
        }
        String text = String.join(" ", parts);
        return ErrorCategory.PARTIAL.wire() + ": " + text.substring(0, 1).toLowerCase() + text.substring(1);
    }

    /** "The recordings of 2 of 5 calls {what} (CA…, CA…); {consequence}", or null when no lookup had this outcome. */
    private static String about(List<Lookup> lookups, Lookup.Outcome outcome, String what, String consequence) {
        List<String> sids = lookups.stream().filter(l -> l.outcome() == outcome).map(Lookup::callSid).toList();
        if (sids.isEmpty()) {
            return null;
        }
        String named = sids.stream().limit(NAMED_FAILURES).collect(Collectors.joining(", "));
        String more = sids.size() > NAMED_FAILURES ? " and " + (sids.size() - NAMED_FAILURES) + " more" : "";
        return "The recordings of " + sids.size() + " of " + lookups.size() + " calls " + what + " (" + named + more
                + "); " + consequence;
    }

    private static ActionResult<ListCallsOutput> result(ListCallsInput input, TwilioCallPage page,
            List<CallListItem> items, String partialError, String next) {
        Integer pageSize = page.pageSize() != null ? page.pageSize() : Integer.valueOf(input.pageSizeOrDefault());
        ListCallsOutput output = new ListCallsOutput(true, partialError, items, items.size(), page.page(), pageSize);
        return new ActionResult<>(output, null, next, false);
    }

    private static String nextPageToken(TwilioCallPage page) {
        PageCursor next = PageCursor.fromNextPageUri(page.nextPageUri());
        return next == null ? null : PageTokens.encode(next);
    }
}
