package dev.voicegate.idempotency;

import java.time.Duration;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The shared store: every replica sees the same keys. The claim is one atomic {@code SET NX PX}; the
 * state changes are compare-and-set Lua scripts, so two replicas can never both own a key.
 */
final class RedisIdempotencyStore implements IdempotencyStore {

    private static final String PREFIX = "voicegate:idempotency:";
    private static final String REPLACE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end";
    private static final String REMOVE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) else return 0 end";

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    RedisIdempotencyStore(ReactiveRedisDataSource redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    @Override
    public Uni<String> putIfAbsent(String key, String value, Duration ttl) {
        return call(redis.execute("SET", PREFIX + key, value, "NX", "PX", Long.toString(ttl.toMillis())))
                .flatMap(set -> set != null
                        ? Uni.createFrom().nullItem()
                        // Taken: read it. If it expired in between, claim again.
                        : get(key).flatMap(existing -> existing == null ? putIfAbsent(key, value, ttl)
                                : Uni.createFrom().item(existing)));
    }

    @Override
    public Uni<String> get(String key) {
        return call(redis.execute("GET", PREFIX + key)).map(response -> response == null ? null : response.toString());
    }

    @Override
    public Uni<Boolean> replace(String key, String expected, String value, Duration ttl) {
        return call(redis.execute("EVAL", REPLACE, "1", PREFIX + key, expected, value, Long.toString(ttl.toMillis())))
                .map(response -> response != null && response.toInteger() == 1);
    }

    @Override
    public Uni<Boolean> remove(String key, String expected) {
        return call(redis.execute("EVAL", REMOVE, "1", PREFIX + key, expected))
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
