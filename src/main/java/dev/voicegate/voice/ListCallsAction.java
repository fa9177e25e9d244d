package dev.voicegate.voice;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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
    public boolean idempotent() {
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
        return twilio.listCalls(credentials, query(input))
                .flatMap(page -> {
                    List<TwilioCall> calls = page.callsOrEmpty().stream()
                            .filter(call -> inWindow(call, input.after(), input.before()))
                            .toList();
                    String next = nextPageToken(page);
                    if (!input.includeRecordingsOrDefault()) {
                        List<CallListItem> items = calls.stream().map(call -> CallListItem.of(call, List.of())).toList();
                        return Uni.createFrom().item(result(input, page, items, null, next));
                    }
                    return recordings.lookup(credentials, calls).map(lookups -> withRecordings(input, page, calls, lookups, next));
                })
                .onFailure().recoverWithItem(failure -> {
                    ActionFailure reason = Failures.of(failure, "the call log", false);
                    return ActionResult.failed(ListCallsOutput.failure(reason.error()), reason);
                });
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
            List<TwilioCall> calls, List<RecordingFanOut.Lookup> lookups, String next) {
        List<CallListItem> items = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            items.add(CallListItem.of(calls.get(i), lookups.get(i).recordingSids()));
        }
        List<String> failed = lookups.stream().filter(RecordingFanOut.Lookup::failed)
                .map(RecordingFanOut.Lookup::callSid).toList();
        return result(input, page, items, failed.isEmpty() ? null : partialError(failed, calls.size()), next);
    }

    private static String partialError(List<String> failedCalls, int total) {
        String named = failedCalls.stream().limit(NAMED_FAILURES).collect(Collectors.joining(", "));
        String more = failedCalls.size() > NAMED_FAILURES ? " and " + (failedCalls.size() - NAMED_FAILURES) + " more" : "";
        return ErrorCategory.PARTIAL.wire() + ": the recordings of " + failedCalls.size() + " of " + total
                + " calls could not be looked up (" + named + more + "); their recording_sids are empty because "
                + "they are unknown, not because there are none. Retrying may help.";
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
