package dev.voicegate.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisSlots;

/** A counter's windows share its hash tag: each script of the Redis store stays in one slot on a cluster. */
class QuotaSlotsTest {

    @Test
    void eachScriptTouchesOneSlot() {
        List<List<String>> sent = new ArrayList<>();
        RedisQuotaStore store = new RedisQuotaStore(RedisSlots.recording(sent), Duration.ofSeconds(1));
        List<Window> windows = List.of(new Window("calls-per-minute", 2, Duration.ofMinutes(1)),
                new Window("calls-per-hour", 3, Duration.ofHours(1)), new Window("calls-per-day", 9, Duration.ofDays(1)));
        for (String counter : List.of("key:agent-a", "account:ac0123", "number:+14155551212")) {
            store.take(counter, windows).onFailure().recoverWithNull().await().indefinitely();
            store.giveBack(counter, windows, "ticket").onFailure().recoverWithNull().await().indefinitely();
            store.used(counter, windows).onFailure().recoverWithNull().await().indefinitely();
        }
        RedisSlots.assertOneSlotEach(sent);
    }
}
