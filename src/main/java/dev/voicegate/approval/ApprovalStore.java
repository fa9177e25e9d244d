package dev.voicegate.approval;

import java.time.Duration;
import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Where approvals live, as JSON text: under a slot (the key, account and idempotency key of the request) and
 * found again by id. Each entry expires with its TTL. A store that cannot answer fails the Uni.
 */
interface ApprovalStore {

    /** Stores {@code value} under {@code slot} unless a live one is there; null when stored, else the one there. */
    Uni<String> open(String slot, String id, String value, Duration ttl);

    /** The live approval with this id, or null. */
    Uni<String> find(String id);

    /** Replaces the approval {@code id} when it is still {@code expected}, keeping its expiry. */
    Uni<Boolean> replace(String id, String expected, String value);

    /** At most {@code max} live approvals, oldest first. */
    Uni<List<String>> live(int max);

    /** {@code memory} or {@code redis}. */
    String kind();
}
