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
 * On a Redis Cluster a script may touch keys of one hash slot only, and the ledger's scripts span an entry, its call
 * SID's key and its indexes (and derive an entry's name from its id inside the script): so every entry key shares one
 * hash tag, {@code {ledger}}, and lives on one node. The control log is its own slot ({@code {controls}}): its two
 * keys are written together, never with an entry. The channel is no key: a PUBLISH reaches every node of a cluster.
 */
final class LedgerKeys {

    static final String PREFIX = "voicegate:{ledger}:";
    /** A hash per entry: {@code <ENTRY><attempt id>}. */
    static final String ENTRY = PREFIX + "entry:";
    /** A call SID's entry id: {@code <SID><call SID>}. */
    static final String SID = PREFIX + "sid:";
    /** Every entry, scored by the time of its attempt (milliseconds). */
    static final String ALL = PREFIX + "all";
    /** The pub/sub channel on which a recorded event's call SID is published, for the waiters of every replica. */
    static final String CHANNEL = "voicegate:ledger:events";
    /**
     * The operators' control events, scored by sequence number ({@code ledger-control.lua}); it and its counter, which
     * one script writes together, share a hash tag.
     */
    static final String CONTROLS = "voicegate:ledger:{controls}";
    /** The control events' sequence counter. */
    static final String CONTROLS_SEQUENCE = CONTROLS + ":sequence";

    private LedgerKeys() {
    }

    static String entry(String id) {
        return ENTRY + id;
    }

    static String sid(String callSid) {
        return SID + callSid;
    }

    /** The entries of an account (its SID is case-insensitive). */
    static String account(String accountSid) {
        return PREFIX + "account:" + hash(accountSid.toLowerCase(Locale.ROOT));
    }

    /** The entries of a service key (or {@code pass-through}). */
    static String key(String keyName) {
        return PREFIX + "key:" + hash(keyName);
    }

    /** The attempts of an account with an idempotency key: where {@code reconciled} looks. */
    static String idempotency(String accountSid, String idempotencyKey) {
        return PREFIX + "idem:" + hash(accountSid.toLowerCase(Locale.ROOT) + "\n" + idempotencyKey);
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
