package dev.voicegate.voice;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.twilio.TwilioCall;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One call row of list_calls. Times are ISO-8601 UTC; {@code recording_sids} is empty when not looked up. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CallListItem(
        String callSid,
        @JsonProperty("from_") String from,
        String to,
        String status,
        String direction,
        Integer duration,
        String price,
        String priceUnit,
        String startTime,
        String endTime,
        String dateCreated,
        List<String> recordingSids) {

    public static CallListItem of(TwilioCall call, List<String> recordingSids) {
        return new CallListItem(call.sid(), call.from(), call.to(), call.status(), call.direction(),
                WireValues.seconds(call.duration()), call.price(), call.priceUnit(),
                WireValues.isoUtc(call.startTime()), WireValues.isoUtc(call.endTime()),
                WireValues.isoUtc(call.dateCreated()), recordingSids);
    }
}
