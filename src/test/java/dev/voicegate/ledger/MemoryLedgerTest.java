package dev.voicegate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The ledger contract in memory, and its bound: the oldest entries go first. */
class MemoryLedgerTest extends LedgerContractTest {

    @Override
    Ledger newLedger() {
        return new MemoryLedger(10_000, RETENTION, Clock.systemUTC());
    }

    @Test
    void beyondTheBoundTheOldestEntriesGoFirst() {
        ledger = new MemoryLedger(3, RETENTION, Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            placed("a" + i, "CA0" + i, i);
        }
        assertTrue(result(ledger.find("CA00")).isEmpty());
        assertTrue(result(ledger.find("CA01")).isEmpty());
        assertEquals("a2", entry("CA02").attempt().id());
        assertEquals(List.of("a4", "a3", "a2"), ids(all(everything(2))));
        assertEquals("memory", ledger.kind());
        assertEquals(Ledger.Backlog.NONE, ledger.backlog());
    }

    @Test
    void beyondItsBoundTheOldestControlEventsGoFirst() {
        ledger = new MemoryLedger(10, RETENTION, Clock.systemUTC(), 3);
        for (int i = 0; i < 5; i++) {
            ledger.control(control("suspend_key", "agent-" + i, base.plusSeconds(i)));
        }
        assertEquals(List.of("agent-4", "agent-3", "agent-2"), controls(2).stream().map(ControlEvent::target).toList());
    }
}
