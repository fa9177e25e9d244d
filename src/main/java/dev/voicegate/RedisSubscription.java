package dev.voicegate;

import java.time.Duration;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.vertx.core.Vertx;

/**
 * This replica's one subscription to a Redis pub/sub channel that lasts: the client does not subscribe again after its
 * connection ends (Redis restarted or unreachable), so this does, on a timer, and then runs {@code resubscribed}, since
 * what was published meanwhile was lost. Used by the ledger's events and the key suspensions.
 */
public final class RedisSubscription {

    private static final Logger LOG = Logger.getLogger(RedisSubscription.class);

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final String channel;
    private final String what;
    private final Duration retryEvery;
    private final Consumer<String> onMessage;
    private final Runnable resubscribed;
    /** The subscription under way or in place; a callback of an older one is ignored. */
    private Object attempt;
    private ReactiveRedisSubscriber subscriber;
    private boolean lostOnce;
    private boolean closed;
    private long timer = -1;

    /** {@code what} names the channel's content in log lines ("the ledger's events"). */
    public RedisSubscription(ReactiveRedisDataSource redis, Vertx vertx, String channel, String what,
            Duration retryEvery, Consumer<String> onMessage, Runnable resubscribed) {
        this.redis = redis;
        this.vertx = vertx;
        this.channel = channel;
        this.what = what;
        this.retryEvery = retryEvery;
        this.onMessage = onMessage;
        this.resubscribed = resubscribed;
    }

    public void start() {
        Object current = new Object();
        synchronized (this) {
            timer = -1;
            if (closed) {
                return;
            }
            attempt = current;
        }
        try {
            redis.pubsub(String.class).subscribe(channel, onMessage, () -> lost(current), failure -> lost(current))
                    .subscribe().with(s -> subscribed(current, s), failure -> lost(current));
        } catch (RuntimeException e) { // a client that refuses at once
            lost(current);
        }
    }

    /** Whether the subscription is in place (tests, health). */
    public synchronized boolean subscribed() {
        return subscriber != null;
    }

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
            LOG.infof("Subscribed again to %s in Redis", what);
            resubscribed.run();
        }
    }

    private void lost(Object current) {
        synchronized (this) {
            if (attempt != current || closed) {
                return;
            }
            if (subscriber != null) {
                LOG.warnf("The subscription to %s in Redis ended: subscribing again", what);
            }
            attempt = null;
            subscriber = null;
            lostOnce = true;
            timer = vertx.setTimer(retryEvery.toMillis(), id -> start());
        }
    }

    private static void unsubscribe(ReactiveRedisSubscriber s) {
        if (s != null) {
            s.unsubscribe().subscribe().with(ok -> {
            }, failure -> {
            });
        }
    }
}
