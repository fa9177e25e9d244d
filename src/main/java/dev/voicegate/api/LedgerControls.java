package dev.voicegate.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.ledger.ControlEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /v1/ledger/controls}: the envelope, a page of control events newest first, and the next page's token. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LedgerControls(boolean success, String error, List<Control> controls, String nextPageToken) {

    /**
     * One operator control: when, what ({@code suspend_key}, {@code resume_key}, {@code end_all_calls},
     * {@code approve_call}, {@code deny_call}, {@code add_do_not_call}, {@code remove_do_not_call}), by which operator
     * key, on what (a key's name, an account SID, an approval id, a masked number), why, and with which result.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Control(Instant at, String action, String operator, String target, String reason, String result) {

        static Control of(ControlEvent event) {
            return new Control(event.at(), event.action(), event.operator(), event.target(), event.reason(),
                    event.result());
        }
    }
}
