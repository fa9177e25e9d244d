package dev.voicegate.ledger;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a fetch of the final call resource adds: duration, price, answered_by; recording SIDs when known. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CallDetails(String duration, String price, String priceUnit, String answeredBy, List<String> recordingSids) {

    /** {@code newer} over {@code older}, field by field: a null leaves the older value (a fetch knows no recordings). */
    public static CallDetails merge(CallDetails older, CallDetails newer) {
        if (older == null) {
            return newer;
        }
        return new CallDetails(or(newer.duration, older.duration), or(newer.price, older.price),
                or(newer.priceUnit, older.priceUnit), or(newer.answeredBy, older.answeredBy),
                or(newer.recordingSids, older.recordingSids));
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
