package dev.voicegate.voice;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.twilio.TwilioCall;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of get_call: the call's fields as list_calls gives them, plus {@code parent_call_sid}, {@code answered_by}
 * and {@code final}. {@code recording_sids} is left out when it is not known: not asked for, or its lookup failed
 * (then {@code error} says so), so that an empty list always means "no recordings".
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GetCallOutput(
        boolean success,
        String error,
        String callSid,
        String parentCallSid,
        @JsonProperty("from_") String from,
        String to,
        String status,
        @JsonProperty("final") Boolean isFinal,
        String direction,
        String answeredBy,
        Integer duration,
        String price,
        String priceUnit,
        String startTime,
        String endTime,
        String dateCreated,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> recordingSids) implements ActionOutput {

    /** {@code recordingSids} null when unknown; {@code error} a {@code partial:} note or null. */
    public static GetCallOutput of(TwilioCall call, List<String> recordingSids, String error) {
        return new GetCallOutput(true, error, call.sid(), call.parentCallSid(), call.from(), call.to(), call.status(),
                WireValues.isFinalStatus(call.status()), call.direction(), call.answeredBy(),
                WireValues.seconds(call.duration()), call.price(), call.priceUnit(),
                WireValues.isoUtc(call.startTime()), WireValues.isoUtc(call.endTime()),
                WireValues.isoUtc(call.dateCreated()), recordingSids);
    }

    public static GetCallOutput failure(String error) {
        return new GetCallOutput(false, error, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
