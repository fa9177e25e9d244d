package dev.voicegate.suspension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Suspensions in one Redis hash (key name to JSON), kept until resumed, so they survive restarts. Each change is
 * published on a channel; every replica subscribes once and, as the ledger's channel does, subscribes again on a
 * timer when the connection ends, then reports a change (what was published meanwhile was lost).
 */
final class RedisSuspensionStore implements SuspensionStore {

    private static final Logger LOG = Logger.getLogger(RedisSuspensionStore.class);
    static final String HASH = "voicegate:suspended";
    static final String CHANNEL = "voicegate:suspended:changes";

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Duration timeout;
    private final Duration retryEvery;
    private Runnable changed = () -> {
    };
    /** The subscription under way or in place; a callback of an older one is ignored. */
    private Object attempt;
    private ReactiveRedisSubscriber subscriber;
    private boolean lostOnce;
    private boolean closed;
    private long timer = -1;

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
        this.changed = changed;
        subscribe();
    }

    private void subscribe() {
        Object current = new Object();
        synchronized (this) {
            timer = -1;
            if (closed) {
                return;
            }
            attempt = current;
        }
        try {
            redis.pubsub(String.class).subscribe(CHANNEL, key -> changed.run(), () -> lost(current), f -> lost(current))
                    .subscribe().with(s -> subscribed(current, s), failure -> lost(current));
        } catch (RuntimeException e) { // a client that refuses at once
            lost(current);
        }
    }

    private void subscribed(Object current, ReactiveRedisSubscriber s) {
        boolean again;
        synchronized (this) {
            if (attempt != current) { // lost or closed meanwhile
                unsubscribe(s);
                return;
            }
            subscriber = s;
            again = lostOnce;
        }
        if (again) {
            LOG.info("Subscribed again to key suspensions in Redis");
            changed.run();
        }
    }

    private void lost(Object current) {
        synchronized (this) {
            if (attempt != current || closed) {
                return;
            }
            if (subscriber != null) {
                LOG.warn("The subscription to key suspensions in Redis ended: subscribing again");
            }
            attempt = null;
            subscriber = null;
            lostOnce = true;
            timer = vertx.setTimer(retryEvery.toMillis(), id -> subscribe());
        }
    }

    @Override
    public void close() {
        ReactiveRedisSubscriber last;
        synchronized (this) {
            closed = true;
            attempt = null;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            last = subscriber;
            subscriber = null;
        }
        unsubscribe(last);
    }

    @Override
    public String kind() {
        return "redis";
    }

    private static void unsubscribe(ReactiveRedisSubscriber s) {
        if (s != null) {
            s.unsubscribe().subscribe().with(ok -> {
            }, failure -> {
            });
        }
    }
}
