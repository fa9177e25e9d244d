package dev.voicegate.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisSlots;

/**
 * Every command of the Redis store stays in one hash slot on a cluster (no legacy lookup there); on a standalone Redis
 * the lookup of the previous version's name is what would span two slots.
 */
class IdempotencySlotsTest {

    static final String KEY = "ac0123456789abcdef0123456789abcdef:order-42";

    static List<List<String>> commands(boolean legacyNames) {
        List<List<String>> sent = new ArrayList<>();
        RedisIdempotencyStore store = new RedisIdempotencyStore(RedisSlots.recording(sent), Duration.ofSeconds(1), legacyNames);
        Duration ttl = Duration.ofMinutes(1);
        store.putIfAbsent(KEY, "claim", ttl).await().indefinitely();
        store.get(KEY).onFailure().recoverWithNull().await().indefinitely(); // MGET's answer is missing here
        store.replace(KEY, "claim", "done", ttl).await().indefinitely();
        store.remove(KEY, "done").await().indefinitely();
        return sent;
    }

    @Test
    void onAClusterEachCommandTouchesOneKey() {
        List<List<String>> sent = commands(false);
        assertEquals(4, sent.size());
        RedisSlots.assertOneSlotEach(sent);
        sent.forEach(command -> assertEquals(List.of(RedisIdempotencyStore.redisKey(KEY)), RedisSlots.keys(command)));
    }

    @Test
    void theLegacyLookupSpansTwoSlotsSoItIsForAStandaloneRedisOnly() {
        assertNotEquals(RedisSlots.slot(RedisIdempotencyStore.redisKey(KEY)), RedisSlots.slot(RedisIdempotencyStore.legacyKey(KEY)));
        assertThrows(AssertionError.class, () -> RedisSlots.assertOneSlotEach(commands(true)));
    }
}
