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
 * {@code key} is the caller that asked for an {@code update} (end_call), null for the other sources.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusEvent(String status, Instant at, Integer sequence, Source source, String token, String key) {

    /** An event no caller asked for: a callback or a fetch. */
    public StatusEvent(String status, Instant at, Integer sequence, Source source, String token) {
        this(status, at, sequence, source, token, null);
    }

    /** An end_call's outcome: the status it left the call in, and the key that asked. */
    public static StatusEvent update(String status, Instant at, String key) {
        return new StatusEvent(status, at, null, Source.UPDATE, null, key);
    }

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
        // A fetch or an update without either: one event per status (an update's: per key and status), however often
        // it is seen, so that repeated requests cannot grow an entry.
        if (token != null) {
            return source.wire() + ":t:" + token;
        }
        return key != null ? source.wire() + ":" + key + ":" + status : source.wire() + ":" + status;
    }
}
