package dev.voicegate.twilio.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.voicegate.LuaScripts;
import dev.voicegate.SidHash;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The shared budget's leases in Redis ({@link SharedBudget}): per account, a sorted set of lease ids scored by their
 * expiry on Redis's clock. One Lua script takes a slot (dropping expired leases, adding one if fewer than the bound are
 * taken), one gives it back, one renews a replica's leases of an account. Each is one round trip, bounded by a timeout;
 * a failure or a timeout fails the {@code Uni}. The key holds a SHA-256 of the account SID, never the SID itself.
 */
final class RedisBudget {

    /** Sends one Redis command: the Quarkus client in the service, a plain Vert.x client in tests. */
    @FunctionalInterface
    interface Commands {
        Uni<Response> send(String command, String... args);
    }

    /** A take's answer: whether the slot was taken, and the slots of the account in use (every replica). */
    record Taken(boolean taken, int inUse) {
    }

    /** A renewal's answer: leases Redis had lost and got again, and the slots in use (every replica). */
    record Renewed(int restored, int inUse) {
    }

    private static final String PREFIX = "voicegate:budget:";
    private static final String ACQUIRE = script("budget-acquire.lua");
    private static final String RELEASE = script("budget-release.lua");
    private static final String RENEW = script("budget-renew.lua");

    private final Commands redis;
    private final Duration timeout;

    RedisBudget(Commands redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    Uni<Taken> take(String account, int bound, Duration lease, String id) {
        return call("EVAL", ACQUIRE, "1", key(account), Integer.toString(bound), Long.toString(lease.toMillis()), id)
                .map(answer -> new Taken(answer.get(0).toInteger() == 1, answer.get(1).toInteger()));
    }

    /** Gives the lease back; the slots still in use. */
    Uni<Integer> give(String account, String id) {
        return give(account, List.of(id));
    }

    /** Gives the leases back (at least one), in one round trip; the slots still in use. */
    Uni<Integer> give(String account, Collection<String> ids) {
        List<String> args = new ArrayList<>(List.of(RELEASE, "1", key(account)));
        args.addAll(ids);
        return call("EVAL", args.toArray(String[]::new)).map(Response::toInteger);
    }

    Uni<Renewed> renew(String account, Duration lease, Collection<String> ids) {
        List<String> args = new ArrayList<>(List.of(RENEW, "1", key(account), Long.toString(lease.toMillis())));
        args.addAll(ids);
        return call("EVAL", args.toArray(String[]::new))
                .map(answer -> new Renewed(answer.get(0).toInteger(), answer.get(1).toInteger()));
    }

    Uni<Void> ping() {
        return call("PING").replaceWithVoid();
    }

    /** The Redis key of an account's leases: its SID (lower case) hashed, so no SID is stored in clear. */
    static String key(String account) {
        return PREFIX + hash(account);
    }

    /** SHA-256 of the account SID in lower case, hex: the Redis key, and (its first 12 digits) the metrics label. */
    static String hash(String account) {
        return SidHash.of(account);
    }

    private Uni<Response> call(String command, String... args) {
        Uni<Response> sent;
        try {
            sent = redis.send(command, args);
        } catch (RuntimeException e) { // a client that refuses at once (closed, not configured) is Redis being down
            return Uni.createFrom().failure(e);
        }
        return sent.ifNoItem().after(timeout).fail()
                .onItem().ifNull().failWith(() -> new IllegalStateException("no answer from Redis"));
    }

    private static String script(String name) {
        return LuaScripts.read(RedisBudget.class, name);
    }
}
