package dev.voicegate.ledger;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One status of a call's timeline. {@code sequence} is Twilio's {@code SequenceNumber} (callbacks only),
 * {@code token} its {@code I-Twilio-Idempotency-Token} when one came: either tells a redelivery from a new event.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusEvent(String status, Instant at, Integer sequence, Source source, String token) {

    /** Twilio's final call statuses: once one is recorded, no earlier event replaces it. */
    public static final Set<String> FINAL = Set.of("completed", "busy", "no-answer", "failed", "canceled");

    public enum Source {
        CALLBACK, FETCH, UPDATE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean isFinal() {
        return FINAL.contains(status);
    }

    /** What tells a redelivery of this event from another event: the sequence number, else the token. */
    public String dedupeKey() {
        if (sequence != null) {
            return source.wire() + ":" + sequence;
        }
        // A fetch or an update without either: one event per status, however often it is seen.
        return token != null ? source.wire() + ":t:" + token : source.wire() + ":" + status;
    }
}
