package dev.voicegate.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The ledger's Redis key names. Account SIDs, key names and idempotency keys appear only as a SHA-256 (no account SID
 * or caller-chosen text in a key name); entry ids and call SIDs are identifiers and appear whole.
 * <p>
 * Two layouts. On a Redis Cluster a script may touch keys of one hash slot only, and the ledger's scripts span an
 * entry, its call SID's key and its indexes (and derive an entry's name from its id inside the script): so there
 * every entry key shares the hash tag {@code {ledger}} ({@link #CLUSTER}), one slot on one node. A standalone Redis
 * keeps the names every version before wrote ({@link #STANDALONE}), so that an upgrade finds the history in place;
 * a move to a cluster starts from an empty keyspace anyway. The control log has its own slot ({@code {controls}}) in
 * both: its two keys are written together, never with an entry. The channel is no key: a PUBLISH reaches every node.
 */
final class LedgerKeys {

    static final LedgerKeys STANDALONE = new LedgerKeys("voicegate:ledger:");
    static final LedgerKeys CLUSTER = new LedgerKeys("voicegate:{ledger}:");
    /** The pub/sub channel on which a recorded event's call SID is published, for the waiters of every replica. */
    static final String CHANNEL = "voicegate:ledger:events";
    /**
     * The operators' control events, scored by sequence number ({@code ledger-control.lua}); it and its counter, which
     * one script writes together, share a hash tag.
     */
    static final String CONTROLS = "voicegate:ledger:{controls}";
    /** The control events' sequence counter. */
    static final String CONTROLS_SEQUENCE = CONTROLS + ":sequence";

    private final String prefix;

    private LedgerKeys(String prefix) {
        this.prefix = prefix;
    }

    static LedgerKeys of(boolean cluster) {
        return cluster ? CLUSTER : STANDALONE;
    }

    /** A hash per entry: this, then the attempt id. */
    String entryPrefix() {
        return prefix + "entry:";
    }

    /** A call SID's entry id: this, then the call SID. */
    String sidPrefix() {
        return prefix + "sid:";
    }

    /** Every entry, scored by the time of its attempt (milliseconds). */
    String all() {
        return prefix + "all";
    }

    String entry(String id) {
        return entryPrefix() + id;
    }

    String sid(String callSid) {
        return sidPrefix() + callSid;
    }

    /** The entries of an account (its SID is case-insensitive). */
    String account(String accountSid) {
        return prefix + "account:" + hash(accountSid.toLowerCase(Locale.ROOT));
    }

    /** The entries of a service key (or {@code pass-through}). */
    String key(String keyName) {
        return prefix + "key:" + hash(keyName);
    }

    /** The attempts of an account with an idempotency key: where {@code reconciled} looks. */
    String idempotency(String accountSid, String idempotencyKey) {
        return prefix + "idem:" + hash(accountSid.toLowerCase(Locale.ROOT) + "\n" + idempotencyKey);
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
