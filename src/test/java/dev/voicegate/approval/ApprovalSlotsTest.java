package dev.voicegate.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisSlots;

/** Opening writes an approval, its id and the index in one script: all under the {approval} tag, one slot. */
class ApprovalSlotsTest {

    @Test
    void everyKeyIsInTheApprovalsSlot() {
        List<List<String>> sent = new ArrayList<>();
        RedisApprovalStore store = new RedisApprovalStore(RedisSlots.recording(sent), Duration.ofSeconds(1), Clock.systemUTC(),
                RedisApprovalStore.CLUSTER);
        store.open("agent-a:make_call:+14155551212", "AP0123", "{}", Duration.ofMinutes(5)).await().indefinitely();
        store.open("agent-b:send_digits:CA0123", "AP4567", "{}", Duration.ofMinutes(5)).await().indefinitely();
        store.find("AP0123").await().indefinitely();
        store.replace("AP0123", "{}", "{\"state\":\"approved\"}").await().indefinitely();
        store.live(10).onFailure().recoverWithNull().await().indefinitely();
        RedisSlots.assertOneSlotEach(sent);
        assertEquals(RedisSlots.slot("{approval}"), RedisSlots.commonSlot(sent));
    }

    @Test
    void theStandaloneNamesWouldSpanSlotsSoTheyAreNotUsedOnACluster() {
        List<List<String>> sent = new ArrayList<>();
        new RedisApprovalStore(RedisSlots.recording(sent), Duration.ofSeconds(1), Clock.systemUTC())
                .open("agent-a:make_call:+14155551212", "AP0123", "{}", Duration.ofMinutes(5)).await().indefinitely();
        assertThrows(AssertionError.class, () -> RedisSlots.assertOneSlotEach(sent));
    }
}
