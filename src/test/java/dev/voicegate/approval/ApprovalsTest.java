package dev.voicegate.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Approvals in the memory store with a clock moved by hand: one approval per key, account and idempotency key, the
 * first decision stands, and after the TTL an approval is gone (its id unknown) and the same request opens a new one.
 */
class ApprovalsTest {

    static final Duration TTL = Duration.ofHours(1);

    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final MutableClock clock = new MutableClock();
    final Approvals approvals = new Approvals(new MemoryApprovalStore(3, clock), null, name -> Approvals.Mode.ALWAYS,
            TTL, clock);

    static Approvals.Request request(String idempotencyKey) {
        return new Approvals.Request("agent", "AC0123", idempotencyKey, "+14155551212", "+15017122661",
                "url https://example.com", "fp");
    }

    @Test
    void oneApprovalPerIdempotencyKeyAndTheFirstDecisionStands() {
        Approval first = approvals.open(request("k1")).await().indefinitely();
        assertEquals(Approval.State.PENDING, first.state());
        assertEquals(first, approvals.open(request("k1")).await().indefinitely());
        assertNotEquals(first.id(), approvals.open(request("k2")).await().indefinitely().id());

        Approval approved = approvals.decide(first.id(), Approval.State.APPROVED, "ops").await().indefinitely();
        assertEquals(Approval.State.APPROVED, approved.state());
        assertEquals("ops", approved.decidedBy());
        assertEquals(Approval.State.APPROVED,
                approvals.decide(first.id(), Approval.State.DENIED, "other").await().indefinitely().state());
        assertEquals(approved, approvals.open(request("k1")).await().indefinitely());
        assertNull(approvals.decide("AP" + "0".repeat(32), Approval.State.APPROVED, "ops").await().indefinitely());
    }

    @Test
    void anApprovalExpiresAndTheSameRequestThenOpensANewOne() {
        Approval first = approvals.open(request("k1")).await().indefinitely();
        approvals.decide(first.id(), Approval.State.DENIED, "ops").await().indefinitely();
        clock.advance(TTL.minusMillis(1));
        assertEquals(Approval.State.DENIED, approvals.open(request("k1")).await().indefinitely().state());

        clock.advance(Duration.ofMillis(1));
        assertNull(approvals.find(first.id()).await().indefinitely());
        assertNull(approvals.decide(first.id(), Approval.State.APPROVED, "ops").await().indefinitely());
        assertEquals(List.of(), approvals.live().await().indefinitely());
        Approval second = approvals.open(request("k1")).await().indefinitely();
        assertEquals(Approval.State.PENDING, second.state());
        assertNotEquals(first.id(), second.id());
        assertEquals(List.of(second), approvals.live().await().indefinitely());
    }

    @Test
    void theMemoryStoreIsBoundedOldestFirst() {
        Approval oldest = approvals.open(request("a")).await().indefinitely();
        for (String key : List.of("b", "c", "d")) {
            approvals.open(request(key)).await().indefinitely();
        }
        assertEquals(3, approvals.live().await().indefinitely().size());
        assertNull(approvals.find(oldest.id()).await().indefinitely());
    }

    @Test
    void modesReadAsConfigured() {
        assertEquals(Approvals.Mode.NEW_NUMBERS, Approvals.Mode.of(" New-Numbers"));
        assertEquals(Approvals.Mode.NEVER, approvals.mode("agent", false));
        assertEquals(true, approvals.needed(Approvals.Mode.ALWAYS, "agent", "+1").await().indefinitely());
        assertEquals(false, approvals.needed(Approvals.Mode.NEVER, "agent", "+1").await().indefinitely());
    }
}
