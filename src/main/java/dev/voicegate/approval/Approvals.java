package dev.voicegate.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.LedgerQuery;
import io.smallrye.mutiny.Uni;

/**
 * Approval before dialing: which make_calls need one (the key's {@code approval} policy, the ledger for
 * {@code new-numbers}), opening one per key, account and idempotency key, and the operators' decisions. An
 * approval, pending or decided, lives {@code voicegate.approval.ttl} from its opening; after that the same
 * idempotency key opens a new one.
 */
@ApplicationScoped
public class Approvals {

    /** The values of {@code voicegate.access.keys.<name>.approval}. */
    public enum Mode {
        NEVER, NEW_NUMBERS, ALWAYS;

        static Mode of(String setting) {
            return valueOf(setting.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** A make_call that needs approval: who asks, with what, and the fingerprint of its parameters. */
    public record Request(String key, String accountSid, String idempotencyKey, String to, String from, String summary,
            String fingerprint) {
    }

    /** The ledger page read to tell whether a number was called before (the newest calls of this key to it). */
    private static final int HISTORY = 200;
    /** Ledger pages read at most for that (in Redis each looks at up to 1000 of the key's calls). */
    private static final int PAGES = 5;
    private static final int LISTED = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApprovalStore store;
    private final Ledger ledger;
    private final Function<String, Mode> modes;
    private final Duration ttl;
    private final Clock clock;

    @Inject
    Approvals(ApprovalStore store, Ledger ledger, VoicegateConfig config) {
        this(store, ledger, name -> {
            VoicegateConfig.Key key = config.access().keys().get(name);
            return key == null ? Mode.NEVER : Mode.of(key.approval());
        }, config.approval().ttl(), Clock.systemUTC());
    }

    Approvals(ApprovalStore store, Ledger ledger, Function<String, Mode> modes, Duration ttl, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.modes = modes;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The policy of a named key; unnamed keys and pass-through never need approval. */
    public Mode mode(String keyName, boolean named) {
        return named ? modes.apply(keyName) : Mode.NEVER;
    }

    /** Whether a make_call of {@code key} to {@code to} needs approval; an unreadable ledger says yes. */
    public Uni<Boolean> needed(Mode mode, String key, String to) {
        if (mode != Mode.NEW_NUMBERS) {
            return Uni.createFrom().item(mode == Mode.ALWAYS);
        }
        return calledBefore(key, to, null, PAGES).map(called -> !called).onFailure().recoverWithItem(true);
    }

    /** Follows the ledger's pages (a Redis page may come back short) a bounded number of times. */
    private Uni<Boolean> calledBefore(String key, String to, String cursor, int pagesLeft) {
        return Uni.createFrom().deferred(() -> ledger.list(new LedgerQuery(null, key, null, to, null, null, HISTORY, cursor)))
                .flatMap(page -> {
                    if (page.entries().stream().anyMatch(entry -> LedgerEntry.PLACED.equals(entry.outcome()))) {
                        return Uni.createFrom().item(true);
                    }
                    return page.next() == null || pagesLeft <= 1 ? Uni.createFrom().item(false)
                            : calledBefore(key, to, page.next(), pagesLeft - 1);
                });
    }

    /** The live approval for this request's key, account and idempotency key, opening a pending one if none. */
    public Uni<Approval> open(Request request) {
        long now = clock.millis();
        Approval fresh = new Approval("AP" + UUID.randomUUID().toString().replace("-", ""), request.key(),
                request.accountSid(), request.to(), request.from(), request.summary(), request.fingerprint(),
                Approval.State.PENDING, now, now + ttl.toMillis(), null, null);
        return store.open(slot(request), fresh.id(), write(fresh), ttl)
                .map(existing -> existing == null ? fresh : read(existing));
    }

    /** The live approval with this id, or null. */
    public Uni<Approval> find(String id) {
        return store.find(id).map(value -> value == null ? null : read(value));
    }

    /** The live approvals, oldest first (at most 200). */
    public Uni<List<Approval>> live() {
        return store.live(LISTED).map(values -> values.stream().map(Approvals::read).toList());
    }

    /**
     * Decides a pending approval; answers it as it is afterwards (a decided one unchanged: the first decision stands),
     * or null when there is no such live approval.
     */
    public Uni<Approval> decide(String id, Approval.State decision, String by) {
        return store.find(id).flatMap(value -> {
            if (value == null) {
                return Uni.createFrom().nullItem();
            }
            Approval current = read(value);
            if (current.state() != Approval.State.PENDING) {
                return Uni.createFrom().item(current);
            }
            Approval decided = current.decided(decision, by, clock.millis());
            return store.replace(id, value, write(decided))
                    .flatMap(done -> done ? Uni.createFrom().item(decided) : decide(id, decision, by));
        });
    }

    /** {@code memory} or {@code redis}. */
    public String kind() {
        return store.kind();
    }

    /** Bounded and opaque: a hash of who asks, on which account, with which idempotency key. */
    private static String slot(Request request) {
        String raw = request.key() + "\n" + request.accountSid().toLowerCase(Locale.ROOT) + "\n" + request.idempotencyKey();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String write(Approval approval) {
        try {
            return JSON.writeValueAsString(approval);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an approval is always serializable", e);
        }
    }

    private static Approval read(String value) {
        try {
            return JSON.readValue(value, Approval.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an approval in the store is not readable", e);
        }
    }
}
