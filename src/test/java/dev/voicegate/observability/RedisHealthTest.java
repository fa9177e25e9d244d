package dev.voicegate.observability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * RedisHealth on its own, with a PING the test answers: always UP, the details and the gauge follow the answers, an
 * outage is logged once when it starts and once when it ends however many PINGs fail, and a PING that never answers
 * counts as a failure after the timeout.
 */
class RedisHealthTest {

    final Vertx vertx = Vertx.vertx();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** What the next PING does: null answers, a failure fails, NEVER never answers. */
    final AtomicReference<Object> next = new AtomicReference<>();
    final AtomicInteger pings = new AtomicInteger();
    static final Object NEVER = new Object();

    @AfterEach
    void close() {
        vertx.close();
    }

    RedisHealth health() {
        // A long interval: the test asks by hand (check()), the timer never gets in the way.
        return new RedisHealth(() -> {
            pings.incrementAndGet();
            Object answer = next.get();
            return answer == NEVER ? Uni.createFrom().nothing()
                    : answer instanceof Throwable failure ? Uni.createFrom().failure(failure) : Uni.createFrom().item("PONG");
        }, Duration.ofHours(1), Duration.ofMillis(200), vertx, registry);
    }

    double gauge() {
        return registry.get("voicegate.redis.degraded").gauge().value();
    }

    @Test
    void theGaugeAndTheDetailsFollowRedisAndTheCheckStaysUp() {
        try (LogCapture log = LogCapture.install()) {
            RedisHealth health = health();
            assertEquals(0.0, gauge(), "registered at start-up, 0");
            assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus());
            assertEquals(false, health.call().getData().orElseThrow().get("degraded"));
            assertEquals(true, health.call().getData().orElseThrow().get("configured"));

            next.set(new IllegalStateException("connection refused"));
            for (int i = 0; i < 3; i++) {
                health.check();
            }
            assertEquals(1.0, gauge());
            HealthCheckResponse degraded = health.call();
            assertEquals(HealthCheckResponse.Status.UP, degraded.getStatus());
            assertEquals(true, degraded.getData().orElseThrow().get("degraded"));
            assertEquals(RedisHealth.FAILS_CLOSED, degraded.getData().orElseThrow().get("fails_closed"));
            assertTrue(degraded.getData().orElseThrow().containsKey("since"));

            next.set(null);
            health.check();
            health.check();
            assertEquals(0.0, gauge());
            assertEquals(false, health.call().getData().orElseThrow().get("degraded"));
            assertNull(health.call().getData().orElseThrow().get("fails_closed"));

            List<String> lines = log.lines().stream().filter(line -> line.contains(RedisHealth.class.getName())).toList();
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(0).startsWith("WARN") && lines.get(0).contains("stays ready"), lines::toString);
            assertTrue(lines.get(1).startsWith("INFO") && lines.get(1).contains("answers again"), lines::toString);
        }
    }

    @Test
    void aPingThatNeverAnswersIsAFailureAfterTheTimeoutAndOnlyOneIsOnItsWay() {
        RedisHealth health = health();
        next.set(NEVER);
        health.check();
        health.check(); // the first is still on its way: not sent
        assertEquals(1, pings.get());
        await().atMost(Duration.ofSeconds(5)).until(health::degraded);
        next.set(null);
        health.check();
        assertEquals(2, pings.get());
        assertEquals(0.0, gauge());
    }

    @Test
    void withoutRedisNothingIsAskedAndNothingIsDegraded() {
        RedisHealth health = new RedisHealth(null, Duration.ofMillis(10), Duration.ofMillis(10), vertx, registry);
        assertEquals(0.0, gauge());
        assertEquals(false, health.call().getData().orElseThrow().get("configured"));
        assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus());
        health.stop();
    }
}
