package dev.voicegate.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Whether the Redis of {@code REDIS_URL} answers: the {@code redis} readiness check's details, the gauge
 * {@code voicegate_redis_degraded} (1 while it does not answer) and one log line when an outage starts (WARN) and one
 * when it ends (INFO). The check itself is always UP: every replica shares this one Redis, so a check that failed
 * with it would take every replica out of its Service at once, although reads and calls without an idempotency key
 * still work. What needs Redis fails closed by itself meanwhile ({@link #FAILS_CLOSED}). Redis is asked with a PING
 * every {@code REDIS_CHECK_INTERVAL}, on a timer (no thread waits); one PING at a time.
 */
@Readiness
@ApplicationScoped
@Startup // the gauge exists from the first scrape, and an outage is seen without any request
public class RedisHealth implements HealthCheck {

    /** What stops working (fails closed) while Redis is unreachable, as shown in the check's details. */
    public static final String FAILS_CLOSED = "make_call with an Idempotency-Key, quotas, the ledger's shared reads, "
            + "suspensions, approvals, the do-not-call list";

    private static final Logger LOG = Logger.getLogger(RedisHealth.class);

    private final Supplier<Uni<?>> ping; // null: no Redis configured
    private final Duration timeout;
    private final Vertx vertx;
    private final long timer;
    private final AtomicInteger degraded = new AtomicInteger();
    private final AtomicBoolean asking = new AtomicBoolean();
    private volatile Instant since;

    @Inject
    RedisHealth(VoicegateConfig config, @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts,
            Instance<ReactiveRedisDataSource> redis, Vertx vertx, MeterRegistry registry) {
        this(hosts.filter(h -> !h.isBlank()).isPresent() ? () -> redis.get().execute("PING") : null,
                config.redis().checkInterval(), config.redis().checkTimeout(), vertx, registry);
    }

    RedisHealth(Supplier<Uni<?>> ping, Duration interval, Duration timeout, Vertx vertx, MeterRegistry registry) {
        this.ping = ping;
        this.timeout = timeout;
        this.vertx = vertx;
        Gauge.builder("voicegate.redis.degraded", degraded, AtomicInteger::get)
                .description("1 while Redis (REDIS_URL) does not answer: what needs it fails closed").register(registry);
        timer = ping == null ? -1 : vertx.setPeriodic(interval.toMillis(), ignored -> check());
    }

    /** Asks Redis once (unless a PING is still on its way) and records the answer. */
    void check() {
        if (!asking.compareAndSet(false, true)) {
            return;
        }
        Uni<?> sent;
        try {
            sent = ping.get();
        } catch (RuntimeException refused) { // a client that refuses at once is Redis being away
            sent = Uni.createFrom().failure(refused);
        }
        sent.ifNoItem().after(timeout).fail().subscribe().with(ok -> answered(null), this::answered);
    }

    private void answered(Throwable failure) {
        asking.set(false);
        if (failure != null && degraded.compareAndSet(0, 1)) {
            since = Instant.now();
            LOG.warnf("Redis does not answer (%s): make_call with an Idempotency-Key, quotas, suspensions, approvals, "
                    + "the do-not-call list and the ledger's shared reads fail closed until it does; this replica stays "
                    + "ready", failure.getClass().getSimpleName());
        } else if (failure == null && degraded.compareAndSet(1, 0)) {
            LOG.infof("Redis answers again after %d s: everything that needs it works again",
                    Duration.between(since, Instant.now()).toSeconds());
        }
    }

    /** Whether Redis is configured and did not answer its latest PING. */
    public boolean degraded() {
        return degraded.get() == 1;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("redis").up()
                .withData("configured", ping != null).withData("degraded", degraded());
        Instant outage = since;
        if (degraded() && outage != null) {
            response.withData("since", outage.toString()).withData("fails_closed", FAILS_CLOSED);
        }
        return response.build();
    }

    @PreDestroy
    void stop() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }
}
