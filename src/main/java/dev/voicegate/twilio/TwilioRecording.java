package dev.voicegate.twilio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A Recording as Twilio sends it. {@code price} is declared a string but sometimes arrives as a number:
 * Jackson reads either into the String. The per-call list variant has no {@code media_url}.
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
