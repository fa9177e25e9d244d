package dev.voicegate.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.voicegate.SidHash;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The shared store: every replica sees the same keys. The claim and the state changes are Lua scripts (atomic), so
 * two replicas can never both own a key.
 * <p>
 * A key is {@code <account SID>:<Idempotency-Key>}; in Redis it is {@code voicegate:idempotency:<SHA-256 of the
 * SID>:<Idempotency-Key>} ({@link SidHash}, as the shared budget's keys), so no SID is stored in clear. Versions before
 * kept the SID in clear ({@link #legacyKey}): every command also looks there, in the same round trip, so a key written
 * before an upgrade is still found (replayed, waited for, or completed in place) for as long as it lives
 * ({@code IDEMPOTENCY_TTL}). Nothing is written under the old name but a record already there.
 * <p>
 * On a Redis Cluster ({@code quarkus.redis.client-type=cluster}) the old name is not looked up: it lies in another
 * hash slot than the new one, so no script may touch both, and a move to a cluster starts from an empty keyspace anyway.
 * Every script then touches one key.
 */
final class RedisIdempotencyStore implements IdempotencyStore {

    private static final String PREFIX = "voicegate:idempotency:";
    /** KEYS: the key, then its legacy name (standalone only). Returns nil when claimed, else the record already there. */
    private static final String CLAIM = "if KEYS[2] then local old = redis.call('GET', KEYS[2]) if old then return old end end "
            + "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end "
            + "return redis.call('GET', KEYS[1])";
    private static final String REPLACE = "for i = 1, #KEYS do if redis.call('GET', KEYS[i]) == ARGV[1] then "
            + "redis.call('SET', KEYS[i], ARGV[2], 'PX', ARGV[3]) return 1 end end return 0";
    private static final String REMOVE = "for i = 1, #KEYS do if redis.call('GET', KEYS[i]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[i]) end end return 0";

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    /** Whether the legacy names are looked up too: a standalone Redis, never a cluster. */
    private final boolean legacyNames;

    RedisIdempotencyStore(ReactiveRedisDataSource redis, Duration timeout) {
        this(redis, timeout, true);
    }

    RedisIdempotencyStore(ReactiveRedisDataSource redis, Duration timeout, boolean legacyNames) {
        this.redis = redis;
        this.timeout = timeout;
        this.legacyNames = legacyNames;
    }

    /** The key's name in Redis: the account SID (before the first ':') hashed. */
    static String redisKey(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? PREFIX + key : PREFIX + SidHash.of(key.substring(0, colon)) + key.substring(colon);
    }

    /** Its name before: the SID in clear. Read, never created. */
    static String legacyKey(String key) {
        return PREFIX + key;
    }

    @Override
    public Uni<String> putIfAbsent(String key, String value, Duration ttl) {
        return call(redis.execute("EVAL", script(CLAIM, key, value, Long.toString(ttl.toMillis()))))
                .map(response -> response == null ? null : response.toString());
    }

    @Override
    public Uni<String> get(String key) {
        if (!legacyNames) {
            return call(redis.execute("GET", redisKey(key))).map(found -> found == null ? null : found.toString());
        }
        return call(redis.execute("MGET", redisKey(key), legacyKey(key))).map(values -> {
            Response found = values.get(0) != null ? values.get(0) : values.get(1);
            return found == null ? null : found.toString();
        });
    }

    /** EVAL's arguments: the script, its keys (the name, and the legacy one on a standalone Redis), then {@code args}. */
    private String[] script(String script, String key, String... args) {
        List<String> command = new ArrayList<>(List.of(script));
        command.addAll(legacyNames ? List.of("2", redisKey(key), legacyKey(key)) : List.of("1", redisKey(key)));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    @Override
    public Uni<Boolean> replace(String key, String expected, String value, Duration ttl) {
        return call(redis.execute("EVAL", script(REPLACE, key, expected, value, Long.toString(ttl.toMillis()))))
                .map(response -> response != null && response.toInteger() == 1);
    }

    @Override
    public Uni<Boolean> remove(String key, String expected) {
        return call(redis.execute("EVAL", script(REMOVE, key, expected)))
                .map(response -> response != null && response.toInteger() == 1);
    }

    @Override
    public Uni<Void> ping() {
        return call(redis.execute("PING")).replaceWithVoid();
    }

    @Override
    public String kind() {
        return "redis";
    }

    private Uni<Response> call(Uni<Response> command) {
        return command.ifNoItem().after(timeout).fail()
                .onFailure().transform(failure -> new StoreUnavailableException("Redis is unreachable", failure));
    }
}
