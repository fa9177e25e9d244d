package dev.voicegate.callback;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.CallDetails;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.StatusEvent;

/**
 * What a verified callback changes, done after the receiver has answered: the status event goes into the call's
 * timeline, a completed recording's SID into its details, and a final event to the caller's own callback URL. Only
 * for a call of the account that signed it: one account's token never changes another account's call.
 */
@ApplicationScoped
class CallbackEvents {

    private static final Logger LOG = Logger.getLogger(CallbackEvents.class);
    private static final Pattern DURATION = Pattern.compile("[0-9]{1,9}");

    private final Ledger ledger;
    private final CallbackMetrics metrics;
    private final CallbackRelay relay;

    CallbackEvents(Ledger ledger, CallbackMetrics metrics, CallbackRelay relay) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.relay = relay;
    }

    /** A call-progress event ({@code answered} arrives as {@code in-progress}). */
    void status(Form form, String idempotencyToken, String authToken) {
        String callSid = form.first("CallSid");
        String status = form.first("CallStatus");
        String event = CallbackMetrics.callEvent(status);
        if (callSid == null || status == null) {
            metrics.count(event, CallbackMetrics.UNKNOWN_CALL);
            return;
        }
        StatusEvent statusEvent = new StatusEvent(status, time(form.first("Timestamp")),
                sequence(form.first("SequenceNumber")), StatusEvent.Source.CALLBACK, idempotencyToken);
        String accountSid = form.first("AccountSid");
        ledger.find(callSid).subscribe().with(found -> {
            Optional<LedgerEntry> entry = found.filter(e -> accountSid.equalsIgnoreCase(e.attempt().accountSid()));
            if (entry.isEmpty()) {
                metrics.count(event, CallbackMetrics.UNKNOWN_CALL);
                return;
            }
            ledger.event(callSid, statusEvent).subscribe().with(outcome -> {
                metrics.count(event, outcome.tag());
                boolean isNew = outcome == Ledger.EventOutcome.ACCEPTED || outcome == Ledger.EventOutcome.OUT_OF_ORDER;
                if (isNew && statusEvent.isFinal()) {
                    duration(callSid, form.first("CallDuration"));
                    relay(entry.get(), CallbackRelay.STATUS_CALLBACK, CallAttempt.Relay::statusCallback,
                            CallAttempt.Relay::statusCallbackMethod, status, form, idempotencyToken, authToken);
                }
            }, failure -> LOG.warnf("A status callback for %s could not be recorded: %s", callSid, failure));
        }, failure -> LOG.warnf("A status callback for %s could not be recorded: %s", callSid, failure));
    }

    /** A recording's event: once {@code completed}, its SID joins the call's details. */
    void recording(Form form, String idempotencyToken, String authToken) {
        String callSid = form.first("CallSid");
        String recordingSid = form.first("RecordingSid");
        String status = form.first("RecordingStatus");
        String event = CallbackMetrics.recordingEvent(status);
        if (callSid == null) {
            metrics.count(event, CallbackMetrics.UNKNOWN_CALL);
            return;
        }
        String accountSid = form.first("AccountSid");
        ledger.find(callSid).subscribe().with(found -> {
            if (found.filter(e -> accountSid.equalsIgnoreCase(e.attempt().accountSid())).isEmpty()) {
                metrics.count(event, CallbackMetrics.UNKNOWN_CALL);
                return;
            }
            if (!"completed".equals(status) || recordingSid == null) {
                metrics.count(event, CallbackMetrics.ACCEPTED);
                return;
            }
            CallDetails details = found.get().details();
            List<String> sids = new ArrayList<>(details == null || details.recordingSids() == null ? List.of()
                    : details.recordingSids());
            if (sids.contains(recordingSid)) {
                metrics.count(event, CallbackMetrics.DUPLICATE);
                return;
            }
            sids.add(recordingSid);
            ledger.details(callSid, new CallDetails(null, null, null, null, sids)); // the other fields stay (merged)
            metrics.count(event, CallbackMetrics.ACCEPTED);
            relay(found.get(), CallbackRelay.RECORDING_STATUS_CALLBACK, CallAttempt.Relay::recordingStatusCallback,
                    wanted -> "POST", status, form, idempotencyToken, authToken);
        }, failure -> LOG.warnf("A recording callback for %s could not be recorded: %s", callSid, failure));
    }

    /**
     * The final callback's {@code CallDuration} (seconds; TWILIO.md section 9), so that the ledger knows a call's
     * length without a fetch. Only digits are taken: the field is Twilio's, but nothing unchecked is stored.
     */
    private void duration(String callSid, String seconds) {
        if (seconds != null && DURATION.matcher(seconds).matches()) {
            ledger.details(callSid, new CallDetails(seconds, null, null, null, null));
        }
    }

    /** Relays the event when the call's entry has a URL for it that has not been relayed to yet. */
    private void relay(LedgerEntry entry, String target, Function<CallAttempt.Relay, String> url,
            Function<CallAttempt.Relay, String> method, String event, Form form, String idempotencyToken,
            String authToken) {
        CallAttempt.Relay wanted = entry.attempt().relay();
        if (wanted != null && url.apply(wanted) != null
                && entry.deliveries().stream().noneMatch(delivery -> target.equals(delivery.target()))) {
            relay.deliver(new Outgoing(entry.callSid(), target, event, url.apply(wanted),
                    method.apply(wanted), form, idempotencyToken, authToken));
        }
    }

    /** Twilio's {@code Timestamp} is RFC 2822; without one (or unreadable), the time it arrived. */
    static Instant time(String timestamp) {
        if (timestamp != null) {
            try {
                return ZonedDateTime.parse(timestamp.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                LOG.debugf("Unreadable callback Timestamp, using the time of arrival");
            }
        }
        return Instant.now();
    }

    static Integer sequence(String sequenceNumber) {
        try {
            return sequenceNumber == null ? null : Integer.valueOf(sequenceNumber.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
