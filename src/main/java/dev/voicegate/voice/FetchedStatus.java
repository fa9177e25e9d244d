package dev.voicegate.voice;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.ledger.CallDetails;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.StatusEvent;
import dev.voicegate.twilio.TwilioCall;

/**
 * Puts what a fetch of a call showed into the call ledger: its status as a {@code fetch} event and, once final,
 * the authoritative details. Fire and forget: the answer never waits for the ledger.
 */
@ApplicationScoped
class FetchedStatus {

    private final Ledger ledger;

    FetchedStatus(Ledger ledger) {
        this.ledger = ledger;
    }

    void record(TwilioCall call) {
        if (call.sid() == null || call.status() == null) {
            return;
        }
        ledger.event(call.sid(), new StatusEvent(call.status(), Instant.now(), null, StatusEvent.Source.FETCH, null))
                .subscribe().with(outcome -> {
                }, failure -> {
                });
        details(call);
    }

    /** Once the call is final, its authoritative details (also from an answer that is no fetch, e.g. an update). */
    void details(TwilioCall call) {
        if (call.sid() != null && WireValues.isFinalStatus(call.status())) {
            ledger.details(call.sid(), new CallDetails(call.duration(), call.price(), call.priceUnit(),
                    call.answeredBy(), null));
        }
    }
}
