package dev.voicegate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The slot computation against values Redis itself gives ({@code CLUSTER KEYSLOT}), and the check failing. */
class RedisSlotsTest {

    @Test
    void slotsAreRedisOwn() {
        assertEquals(12182, RedisSlots.slot("foo")); // CLUSTER KEYSLOT foo, on redis-server 7.0
        assertEquals(5061, RedisSlots.slot("bar"));
        assertEquals(11058, RedisSlots.slot("somekey"));
        assertEquals(RedisSlots.slot("user1000"), RedisSlots.slot("{user1000}.following"));
        assertEquals(RedisSlots.slot("{}x"), RedisSlots.slot("{}x"));
        assertEquals(0x31C3, RedisSlots.crc16("123456789".getBytes()));
    }

    @Test
    void aScriptOverTwoSlotsOrWithoutKeysOrAKeyspaceWalkFails() {
        assertThrows(AssertionError.class, () -> RedisSlots.assertOneSlotEach(List.of(List.of("EVAL", "s", "2", "foo", "bar"))));
        assertThrows(AssertionError.class, () -> RedisSlots.assertOneSlotEach(List.of(List.of("EVAL", "s", "0", "x"))));
        assertThrows(AssertionError.class, () -> RedisSlots.assertOneSlotEach(List.of(List.of("KEYS", "voicegate:*"))));
        assertThrows(AssertionError.class, () -> RedisSlots.assertOneSlotEach(List.of(List.of("MGET", "foo", "bar"))));
        RedisSlots.assertOneSlotEach(List.of(List.of("EVAL", "s", "2", "a:{t}:1", "b:{t}:2", "arg")));
    }
}
