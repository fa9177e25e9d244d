package dev.voicegate.idempotency;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionFailure;
import io.smallrye.mutiny.Uni;

/**
 * The idempotency store in {@link KeyRecord}s, each kept for the configured time. A record read from the
 * store carries the exact text it is stored as ({@link Stored}): compare-and-set goes against that text,
 * never against a re-serialization, which could differ from what another version of the service wrote.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** A record with the text it is (or will be) stored as. */
    public record Stored(KeyRecord record, String text) {
    }

    private final IdempotencyStore store;
    private final ObjectMapper json;
    private final Duration ttl;

    IdempotencyKeys(IdempotencyStore store, ObjectMapper json, VoicegateConfig config) {
        this.store = store;
        this.json = json;
        this.ttl = config.idempotency().ttl();
    }

    /** Stores {@code claim} if the key is free; returns null when stored, else what is there. */
    public Uni<Stored> claim(String key, Stored claim) {
        return store.putIfAbsent(key, claim.text(), ttl).map(this::read);
    }

    /** What is stored under the key, or null. */
    public Uni<Stored> get(String key) {
        return store.get(key).map(this::read);
    }

    /** Replaces {@code current} with {@code next}; false when the key no longer holds {@code current}. */
    public Uni<Boolean> replace(String key, Stored current, Stored next) {
        return store.replace(key, current.text(), next.text(), ttl);
    }

    /** Frees the key; false when it no longer holds {@code current}. */
    public Uni<Boolean> remove(String key, Stored current) {
        return store.remove(key, current.text());
    }

    /** "memory" or "redis", for logs. */
    public String kind() {
        return store.kind();
    }

    /** The outcome of the attempt that holds {@code claim}, to replay; {@code failure} is null on success. */
    public Stored done(Stored claim, Object output, int httpStatus, ActionFailure failure) {
        return of(claim.record().done(json.valueToTree(output), httpStatus, failure));
    }

    /** The output of a {@code DONE} record, as it was stored. */
    public <T> T output(KeyRecord record, Class<T> type) {
        return json.convertValue(record.output(), type);
    }

    /** The record as it will be stored. */
    public Stored of(KeyRecord record) {
        try {
            return new Stored(record, json.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a KeyRecord is always serializable", e);
        }
    }

    private Stored read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new Stored(json.readValue(text, KeyRecord.class), text);
        } catch (JsonProcessingException e) {
            throw new StoreUnavailableException("unreadable idempotency record", e);
        }
    }
}
