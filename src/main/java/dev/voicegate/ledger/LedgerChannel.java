package dev.voicegate.ledger;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.vertx.core.Vertx;

/**
 * This replica's one subscription to the ledger's pub/sub channel: each message is a call SID whose event was recorded
 * on some replica, and wakes this replica's waiters for it. The client does not subscribe again after its connection
 * ends (Redis restarted or unreachable), so this does, on a timer, and then wakes every waiter: events published
 * meanwhile were lost.
 */
final class LedgerChannel {

    private static final Logger LOG = Logger.getLogger(LedgerChannel.class);

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Duration retryEvery;
    private final LedgerWatchers watchers;
    /** The subscription under way or in place; a callback of an older one is ignored. */
    private Object attempt;
    private ReactiveRedisSubscriber subscriber;
    private boolean lostOnce;
    private boolean closed;
    private long timer = -1;

    LedgerChannel(ReactiveRedisDataSource redis, Vertx vertx, Duration retryEvery, LedgerWatchers watchers) {
        this.redis = redis;
        this.vertx = vertx;
        this.retryEvery = retryEvery;
        this.watchers = watchers;
    }

    void start() {
        Object current = new Object();
        synchronized (this) {
            timer = -1;
            if (closed) {
                return;
            }
            attempt = current;
        }
        try {
            redis.pubsub(String.class).subscribe(LedgerKeys.CHANNEL, watchers::wake, () -> lost(current), failure -> lost(current))
                    .subscribe().with(s -> subscribed(current, s), failure -> lost(current));
        } catch (RuntimeException e) { // a client that refuses at once
            lost(current);
        }
    }

    /** Whether the subscription is in place (tests, health). */
    synchronized boolean subscribed() {
        return subscriber != null;
    }

    void close() {
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
            LOG.info("Subscribed again to the ledger's events in Redis");
            watchers.wakeAll();
        }
    }

    private void lost(Object current) {
        synchronized (this) {
            if (attempt != current || closed) {
                return;
            }
            if (subscriber != null) {
                LOG.warn("The subscription to the ledger's events in Redis ended: subscribing again");
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
