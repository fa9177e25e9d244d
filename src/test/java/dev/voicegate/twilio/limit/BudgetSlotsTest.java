package dev.voicegate.twilio.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisSlots;
import io.smallrye.mutiny.Uni;

/** Each budget script touches one account's leases, one key: one slot on a cluster (a per-account slot). */
class BudgetSlotsTest {

    @Test
    void eachScriptTouchesOneAccountsKey() {
        List<List<String>> sent = new ArrayList<>();
        RedisBudget budget = new RedisBudget((command, args) -> {
            List<String> line = new ArrayList<>(List.of(command));
            line.addAll(List.of(args));
            sent.add(line);
            return Uni.createFrom().nullItem();
        }, Duration.ofSeconds(1));
        for (String account : List.of("ac0123", "ac4567")) {
            budget.take(account, 3, Duration.ofSeconds(15), "lease-1").onFailure().recoverWithNull().await().indefinitely();
            budget.give(account, List.of("lease-1", "lease-2")).onFailure().recoverWithNull().await().indefinitely();
            budget.renew(account, Duration.ofSeconds(15), List.of("lease-1", "lease-2")).onFailure().recoverWithNull()
                    .await().indefinitely();
        }
        RedisSlots.assertOneSlotEach(sent);
    }
}
