package dev.voicegate.voice;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.twilio.TwilioCall;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Output of make_call, as in {@code contract/make_call.output.schema.json}. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MakeCallOutput(
        boolean success,
        String error,
        String callSid,
        String status,
        String direction,
        @JsonProperty("from_") String from,
        String to,
        Integer duration,
        String price,
        String priceUnit) implements ActionOutput {

    public static MakeCallOutput of(TwilioCall call) {
        return new MakeCallOutput(true, null, call.sid(), call.status(), call.direction(), call.from(), call.to(),
                WireValues.seconds(call.duration()), call.price(), call.priceUnit());
    }

    public static MakeCallOutput failure(String error) {
        return new MakeCallOutput(false, error, null, null, null, null, null, null, null, null);
    }
}
