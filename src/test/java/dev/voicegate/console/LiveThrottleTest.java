package dev.voicegate.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live stream's throttle: a lone change goes at once, a burst shares one trailing send per window. */
class LiveThrottleTest {

    static final Duration WINDOW = Duration.ofMillis(200);

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final List<Integer> sent = new CopyOnWriteArrayList<>();
    final LiveThrottle throttle = new LiveThrottle(WINDOW, scheduler, clock::get, sent::add);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aLoneChangeIsSentAtOnce() {
        throttle.changed();
        assertEquals(List.of(1), sent);
        clock.addAndGet(WINDOW.toNanos()); // a whole window later: at once again
        throttle.changed();
        assertEquals(List.of(1, 1), sent);
    }

    @Test
    void changesWithinTheWindowShareOneSendAtItsEnd() {
        throttle.changed();
        clock.addAndGet(Duration.ofMillis(50).toNanos());
        throttle.changed();
        throttle.changed();
        throttle.changed();
        assertEquals(List.of(1), sent);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        assertEquals(List.of(1, 3), sent);
    }

    @Test
    void closingDropsAWaitingSend() throws Exception {
        throttle.changed();
        clock.addAndGet(Duration.ofMillis(50).toNanos());
        throttle.changed();
        throttle.close();
        throttle.changed();
        scheduler.shutdown(); // a cancelled task does not run; any other would, before the termination
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        assertEquals(List.of(1), sent);
    }
}
