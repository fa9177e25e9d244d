package dev.voicegate.twilio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A Recording as Twilio sends it on a fetch (get_recording). {@code price} is declared a string but sometimes arrives
 * as a number: Jackson reads either into the String. The lists are read as {@link TwilioRecordingPage.Entry}.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TwilioRecording(
        String sid,
        String accountSid,
        String callSid,
        String status,
        String duration,
        Integer channels,
        String source,
        String price,
        String priceUnit,
        String startTime,
        String dateCreated,
        String uri,
        String mediaUrl) {
}
