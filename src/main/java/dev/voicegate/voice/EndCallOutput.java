package dev.voicegate.voice;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.twilio.TwilioCall;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of end_call: the call's fields as get_call gives them (without {@code recording_sids}), plus
 * {@code ended_by_this_request}: false when the call had already ended (then {@code status} is its final status).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EndCallOutput(
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
        Boolean endedByThisRequest) implements ActionOutput {

    public static EndCallOutput of(TwilioCall call, boolean endedByThisRequest) {
        return new EndCallOutput(true, null, call.sid(), call.parentCallSid(), call.from(), call.to(), call.status(),
                WireValues.isFinalStatus(call.status()), call.direction(), call.answeredBy(),
                WireValues.seconds(call.duration()), call.price(), call.priceUnit(),
                WireValues.isoUtc(call.startTime()), WireValues.isoUtc(call.endTime()),
                WireValues.isoUtc(call.dateCreated()), endedByThisRequest);
    }

    public static EndCallOutput failure(String error) {
        return new EndCallOutput(false, error, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
