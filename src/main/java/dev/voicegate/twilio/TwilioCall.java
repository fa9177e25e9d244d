package dev.voicegate.twilio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A Call resource as Twilio sends it: {@code duration} and {@code price} are strings, dates RFC 2822.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TwilioCall(
        String sid,
        String accountSid,
        String parentCallSid,
        String to,
        String from,
        String status,
        String direction,
        String duration,
        String price,
        String priceUnit,
        String startTime,
        String endTime,
        String dateCreated,
        String answeredBy,
        String uri) {
}
