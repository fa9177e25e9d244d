package dev.voicegate.idempotency;

import java.time.Duration;

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
 */
final class RedisIdempotencyStore implements IdempotencyStore {

    private static final String PREFIX = "voicegate:idempotency:";
    /** KEYS: the key, its legacy name. Returns nil when claimed, else the record already there. */
    private static final String CLAIM = "local old = redis.call('GET', KEYS[2]) if old then return old end "
            + "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end "
            + "return redis.call('GET', KEYS[1])";
    private static final String REPLACE = "for i = 1, 2 do if redis.call('GET', KEYS[i]) == ARGV[1] then "
            + "redis.call('SET', KEYS[i], ARGV[2], 'PX', ARGV[3]) return 1 end end return 0";
    private static final String REMOVE = "for i = 1, 2 do if redis.call('GET', KEYS[i]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[i]) end end return 0";

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    RedisIdempotencyStore(ReactiveRedisDataSource redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
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
        return call(redis.execute("EVAL", CLAIM, "2", redisKey(key), legacyKey(key), value, Long.toString(ttl.toMillis())))
                .map(response -> response == null ? null : response.toString());
    }

    @Override
    public Uni<String> get(String key) {
        return call(redis.execute("MGET", redisKey(key), legacyKey(key))).map(values -> {
            Response found = values.get(0) != null ? values.get(0) : values.get(1);
            return found == null ? null : found.toString();
        });
    }

    @Override
    public Uni<Boolean> replace(String key, String expected, String value, Duration ttl) {
        return call(redis.execute("EVAL", REPLACE, "2", redisKey(key), legacyKey(key), expected, value,
                Long.toString(ttl.toMillis()))).map(response -> response != null && response.toInteger() == 1);
    }

    @Override
    public Uni<Boolean> remove(String key, String expected) {
        return call(redis.execute("EVAL", REMOVE, "2", redisKey(key), legacyKey(key), expected))
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
