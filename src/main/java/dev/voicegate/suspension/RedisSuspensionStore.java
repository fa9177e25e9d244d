package dev.voicegate.suspension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.voicegate.RedisSubscription;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Suspensions in one Redis hash (key name to JSON), kept until resumed, so they survive restarts. Each change is
 * published on a channel; every replica subscribes once ({@link RedisSubscription}: again on a timer when the
 * connection ends, then it reports a change, since what was published meanwhile was lost).
 */
final class RedisSuspensionStore implements SuspensionStore {

    static final String HASH = "voicegate:suspended";
    static final String CHANNEL = "voicegate:suspended:changes";

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Duration timeout;
    private final Duration retryEvery;
    /** Set once by {@link #listen}. */
    private RedisSubscription subscription;

    RedisSuspensionStore(ReactiveRedisDataSource redis, Vertx vertx, Duration timeout, Duration retryEvery) {
        this.redis = redis;
        this.vertx = vertx;
        this.timeout = timeout;
        this.retryEvery = retryEvery;
    }

    @Override
    public Uni<Void> put(Suspension suspension) {
        return redis.hash(String.class).hset(HASH, suspension.key(), suspension.encode())
                .ifNoItem().after(timeout).fail().flatMap(ok -> publish(suspension.key()));
    }

    @Override
    public Uni<Void> remove(String key) {
        return redis.hash(String.class).hdel(HASH, key).ifNoItem().after(timeout).fail().flatMap(ok -> publish(key));
    }

    @Override
    public Uni<Map<String, Suspension>> load() {
        return redis.hash(String.class).hgetall(HASH).ifNoItem().after(timeout).fail().map(all -> {
            Map<String, Suspension> byKey = new HashMap<>();
            all.forEach((key, json) -> byKey.put(key, Suspension.decode(json)));
            return byKey;
        });
    }

    private Uni<Void> publish(String key) {
        return redis.pubsub(String.class).publish(CHANNEL, key).ifNoItem().after(timeout).fail();
    }

    @Override
    public void listen(Runnable changed) {
        RedisSubscription started = new RedisSubscription(redis, vertx, CHANNEL, "key suspensions", retryEvery,
                key -> changed.run(), changed);
        synchronized (this) {
            subscription = started;
        }
        started.start();
    }

    @Override
    public void close() {
        RedisSubscription last;
        synchronized (this) {
            last = subscription;
        }
        if (last != null) {
            last.close();
        }
    }

    @Override
    public String kind() {
        return "redis";
    }
}
