package dev.voicegate.twilio.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;

/** The one wait-for-a-lease step: whichever way a cancellation crosses the lease, the lease goes back exactly once. */
class LeaseWaitTest {

    /** A lease that counts its releases. */
    static final class CountedLease implements AccountLimiter.Lease {
        final AtomicInteger releases = new AtomicInteger();

        @Override
        public void release() {
            releases.incrementAndGet();
        }
    }

    final List<AccountLimiter.Lease> granted = new ArrayList<>();
    final List<Throwable> failed = new ArrayList<>();
    final AtomicReference<UniSubscriber<? super AccountLimiter.Lease>> subscriber = new AtomicReference<>();
    final AtomicBoolean upstreamCancelled = new AtomicBoolean();
    /** A raw source, as the limiter is: it may still deliver a lease that crosses the cancellation. */
    final Uni<AccountLimiter.Lease> pending = new AbstractUni<>() {
        @Override
        public void subscribe(UniSubscriber<? super AccountLimiter.Lease> downstream) {
            subscriber.set(downstream);
            downstream.onSubscribe(() -> upstreamCancelled.set(true));
        }
    };

    @Test
    void aLeaseThatArrivesIsGrantedAndTakenOnce() {
        LeaseWait wait = new LeaseWait();
        wait.start(pending, granted::add, failed::add);
        CountedLease lease = new CountedLease();
        subscriber.get().onItem(lease);

        assertEquals(List.of(lease), granted);
        assertSame(lease, wait.take());
        assertNull(wait.take(), "taken already");
        wait.cancel();
        assertEquals(0, lease.releases.get(), "a taken lease is the taker's to release");
    }

    @Test
    void cancellingWhileWaitingStopsTheWaitAndALateLeaseGoesBack() {
        LeaseWait wait = new LeaseWait();
        wait.start(pending, granted::add, failed::add);
        wait.cancel();
        assertTrue(upstreamCancelled.get(), "the wait is cancelled upstream");

        CountedLease late = new CountedLease();
        subscriber.get().onItem(late); // crossed the cancellation on its way
        assertEquals(List.of(), granted);
        assertEquals(1, late.releases.get());
        assertNull(wait.take());
    }

    @Test
    void cancellingAHeldLeaseGivesItBackOnce() {
        LeaseWait wait = new LeaseWait();
        wait.start(pending, granted::add, failed::add);
        CountedLease lease = new CountedLease();
        subscriber.get().onItem(lease);

        wait.cancel();
        wait.cancel();
        assertEquals(1, lease.releases.get());
        assertNull(wait.take());
    }

    @Test
    void cancelledBeforeStartNeverWaits() {
        LeaseWait wait = new LeaseWait();
        wait.cancel();
        wait.start(pending, granted::add, failed::add);
        assertTrue(upstreamCancelled.get(), "the subscription is cancelled as soon as it arrives");
        assertEquals(List.of(), granted);
    }

    @Test
    void aRefusalReachesTheOwner() {
        LeaseWait wait = new LeaseWait();
        LimitReachedException refusal = new LimitReachedException("full");
        wait.start(Uni.createFrom().failure(refusal), granted::add, failed::add);
        assertEquals(List.of(refusal), failed);
        assertEquals(List.of(), granted);
        assertNull(wait.take());
    }
}
