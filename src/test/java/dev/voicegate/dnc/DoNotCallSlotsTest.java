package dev.voicegate.dnc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisSlots;

/** The list's hash and index share the {dnc} tag: each script stays in one slot on a cluster. */
class DoNotCallSlotsTest {

    @Test
    void everyCommandIsInTheListsSlot() {
        List<List<String>> sent = new ArrayList<>();
        RedisDoNotCallStore store = new RedisDoNotCallStore(RedisSlots.recording(sent), Duration.ofSeconds(1));
        DoNotCallEntry entry = new DoNotCallEntry("+14155551212", "asked", "2026-01-01T00:00:00Z", "operator");
        store.put("h1", entry).onFailure().recoverWithNull().await().indefinitely();
        store.putIfAbsent("h2", entry).onFailure().recoverWithNull().await().indefinitely();
        store.remove("h1").onFailure().recoverWithNull().await().indefinitely();
        store.contains("h2").onFailure().recoverWithNull().await().indefinitely();
        store.page(null, 10).onFailure().recoverWithNull().await().indefinitely();
        RedisSlots.assertOneSlotEach(sent);
        RedisSlots.commonSlot(sent);
    }
}
