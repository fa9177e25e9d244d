package dev.voicegate.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.RedisSlots;
import io.vertx.core.Vertx;

/**
 * The ledger's scripts span an entry, its call SID's key and its indexes (and derive names inside), so each declares
 * keys of the {ledger} slot only; the control log's two keys share their own slot. Checked on the commands the Redis
 * ledger really sends, for every write and read.
 */
class LedgerSlotsTest {

    @Test
    void eachScriptStaysInOneSlotAndEntriesShareTheLedgersSlot() {
        Vertx vertx = Vertx.vertx();
        List<List<String>> sent = new ArrayList<>();
        RedisLedger ledger = new RedisLedger(RedisSlots.recording(sent), LedgerKeys.CLUSTER, vertx,
                new RedisLedger.Settings(Duration.ofDays(1), 100, Duration.ofSeconds(1), Duration.ofMillis(100)), Clock.systemUTC());
        try {
            Instant now = Instant.now();
            ledger.attempted(LedgerContractTest.attempt("a1", "AC0123", "agent-a", "+14155551234", "idem-1", now));
            ledger.attempted(LedgerContractTest.attempt("a2", "AC4567", "agent-b", "+14155555678", null, now));
            ledger.outcome("a1", "CA01", LedgerEntry.PLACED);
            ledger.outcome("a2", null, "outcome_unknown");
            ledger.reconciled("AC4567", "idem-2", "CA02");
            ledger.details("CA01", new CallDetails("12", null, null, null, List.of()));
            ledger.control(new ControlEvent(now, "suspend_key", "operator", "agent-a", "why", "suspended"));
            await().atMost(Duration.ofSeconds(10)).until(() -> size(sent) >= 7);
            ledger.event("CA01", LedgerContractTest.callback("ringing", 1, "tok", now)).onFailure().recoverWithNull().await().indefinitely();
            ledger.find("CA01").onFailure().recoverWithNull().await().indefinitely();
            ledger.findAll(List.of("CA01", "CA02")).onFailure().recoverWithNull().await().indefinitely();
            ledger.list(new LedgerQuery("AC0123", null, null, null, null, null, 10, null)).onFailure().recoverWithNull().await().indefinitely();
            ledger.list(new LedgerQuery(null, "agent-a", null, null, null, null, 10, null)).onFailure().recoverWithNull().await().indefinitely();
            ledger.controls(null, 10).onFailure().recoverWithNull().await().indefinitely();
            List<List<String>> commands;
            synchronized (sent) {
                commands = List.copyOf(sent);
            }
            RedisSlots.assertOneSlotEach(commands);
            Set<Integer> slots = commands.stream().flatMap(command -> RedisSlots.keys(command).stream())
                    .map(RedisSlots::slot).collect(Collectors.toSet());
            assertEquals(Set.of(RedisSlots.slot("{ledger}"), RedisSlots.slot("{controls}")), slots);
        } finally {
            ledger.close();
            vertx.close();
        }
    }

    private static int size(List<List<String>> sent) {
        synchronized (sent) {
            return sent.size();
        }
    }
}
