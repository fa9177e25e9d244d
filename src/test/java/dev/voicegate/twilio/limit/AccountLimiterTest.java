package dev.voicegate.twilio.limit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.twilio.RetryPolicy;
import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.TwilioFailures;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/** The per-account bound on its own: requests are manually completed futures, nothing talks to Twilio. */
class AccountLimiterTest {

    static final String ACCOUNT = "ACaaaaaaaabbbbbbbbccccccccdddddddd";
    static final String OTHER = "ACeeeeeeeeffffffff0000000011111111";
    static final Duration LONG = Duration.ofSeconds(30);

    /** Every subscriber a test made, cancelled afterwards so no timer outlives the test. */
    final List<UniAssertSubscriber<String>> subscribers = new ArrayList<>();

    @AfterEach
    void cancelLeftovers() {
        subscribers.forEach(UniAssertSubscriber::cancel);
    }

    /** A request under the test's control: started when the limiter calls it, ended by the test. */
    static final class Request {
        final String name;
        final CompletableFuture<String> result = new CompletableFuture<>();
        volatile boolean started;

        Request(String name) {
            this.name = name;
        }

        Uni<String> call() {
            started = true;
            return Uni.createFrom().completionStage(result);
        }

        void complete() {
            result.complete(name);
        }
    }

    UniAssertSubscriber<String> submit(AccountLimiter limiter, String account, Request request) {
        return submit(limiter, account, Turn.FIRST, request);
    }

    UniAssertSubscriber<String> submit(AccountLimiter limiter, String account, Turn turn, Request request) {
        UniAssertSubscriber<String> subscriber = limiter.limit(account, turn, request::call)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        subscribers.add(subscriber);
        return subscriber;
    }

    static List<Request> requests(int n) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(new Request("r" + i));
        }
        return requests;
    }

    static long started(List<Request> requests) {
        return requests.stream().filter(r -> r.started).count();
    }

    @Test
    void neverMoreThanTheBoundInFlightAndEveryRequestEventuallyRuns() {
        AccountLimiter limiter = new AccountLimiter(3, 10, LONG, LONG);
        List<Request> requests = requests(8);
        List<UniAssertSubscriber<String>> outcomes = requests.stream().map(r -> submit(limiter, ACCOUNT, r)).toList();

        assertEquals(3, started(requests));
        assertEquals(3, limiter.inFlight(ACCOUNT));
        assertEquals(5, limiter.queued(ACCOUNT));
        for (int done = 0; done < requests.size(); done++) {
            requests.get(done).complete();
            outcomes.get(done).assertItem("r" + done);
            assertEquals(Math.min(requests.size(), done + 1 + 3), started(requests), "after " + (done + 1) + " ended");
            assertTrue(limiter.inFlight(ACCOUNT) <= 3);
        }
        assertEquals(0, limiter.busyAccounts(), "an idle account is forgotten");
    }

    @Test
    void anAccountHasRoomWhileLessThanHalfItsSlotsAreHeld() {
        AccountLimiter limiter = new AccountLimiter(4, 10, LONG, LONG);
        List<Request> requests = requests(5);
        assertTrue(limiter.hasRoom(ACCOUNT), "an account with nothing in flight");

        submit(limiter, ACCOUNT, requests.get(0));
        assertTrue(limiter.hasRoom(ACCOUNT.toUpperCase(Locale.ROOT)), "1 of 4 held, whatever the SID's case");
        submit(limiter, ACCOUNT, requests.get(1));
        assertFalse(limiter.hasRoom(ACCOUNT), "2 of 4 held: half");
        assertTrue(limiter.hasRoom("AC" + "f".repeat(32)), "another account");

        requests.get(1).complete();
        assertTrue(limiter.hasRoom(ACCOUNT));
        requests.subList(2, 5).forEach(r -> submit(limiter, ACCOUNT, r));
        requests.get(0).complete();
        requests.get(2).complete();
        assertEquals(2, limiter.inFlight(ACCOUNT));
        assertEquals(0, limiter.queued(ACCOUNT));
        assertFalse(limiter.hasRoom(ACCOUNT), "2 of 4 held again, once the queue drained");
        requests.get(3).complete();
        assertTrue(limiter.hasRoom(ACCOUNT), "1 of 4 held");
        requests.get(4).complete();
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void waitingRequestsGetSlotsInArrivalOrder() {
        AccountLimiter limiter = new AccountLimiter(1, 10, LONG, LONG);
        List<Request> requests = requests(5);
        requests.forEach(r -> submit(limiter, ACCOUNT, r));

        for (int i = 0; i < requests.size(); i++) {
            for (int j = 0; j < requests.size(); j++) {
                assertEquals(j <= i, requests.get(j).started, "r" + j + " started while r" + i + " runs");
            }
            requests.get(i).complete();
        }
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void aFullQueueFailsAtOnceWithThrottledAndSendsNothing() {
        AccountLimiter limiter = new AccountLimiter(2, 1, LONG, LONG);
        List<Request> requests = requests(4);
        List<UniAssertSubscriber<String>> outcomes = requests.stream().map(r -> submit(limiter, ACCOUNT, r)).toList();

        Throwable failure = outcomes.get(3).assertFailedWith(LimitReachedException.class).getFailure();
        assertEquals("Voicegate's own limit of 2 concurrent Twilio requests for this account is reached "
                + "and 1 more request is already waiting", failure.getMessage());
        assertFalse(requests.get(3).started, "a throttled request is never sent");
        // Mapped where every failure is classified: the caller sees Throttled with the same message.
        Throwable mapped = TwilioFailures.classify(failure);
        assertInstanceOf(TwilioException.Throttled.class, mapped);
        assertEquals(failure.getMessage(), mapped.getMessage());
        assertEquals(0, ((TwilioException) mapped).httpStatus());
        assertEquals(2, limiter.inFlight(ACCOUNT));
        assertEquals(1, limiter.queued(ACCOUNT));
        outcomes.get(2).assertNotTerminated();
    }

    @Test
    void noQueueAtAllRejectsEverythingBeyondTheBound() {
        AccountLimiter limiter = new AccountLimiter(1, 0, LONG, LONG);
        submit(limiter, ACCOUNT, new Request("first"));

        submit(limiter, ACCOUNT, new Request("second")).assertFailedWith(LimitReachedException.class);
    }

    @Test
    void aFollowUpOvertakesQueuedFirstRequestsAndEachTurnKeepsItsArrivalOrder() {
        AccountLimiter limiter = new AccountLimiter(1, 10, LONG, LONG);
        Request running = new Request("running");
        Request first1 = new Request("first1");
        Request first2 = new Request("first2");
        Request followUp1 = new Request("followUp1");
        Request followUp2 = new Request("followUp2");
        submit(limiter, ACCOUNT, Turn.FIRST, running);
        submit(limiter, ACCOUNT, Turn.FIRST, first1);
        submit(limiter, ACCOUNT, Turn.FIRST, first2);
        submit(limiter, ACCOUNT, Turn.FOLLOW_UP, followUp1);
        submit(limiter, ACCOUNT, Turn.FOLLOW_UP, followUp2);
        assertEquals(4, limiter.queued(ACCOUNT));

        List<Request> order = List.of(running, followUp1, followUp2, first1, first2);
        for (int i = 0; i < order.size(); i++) {
            for (int j = 0; j < order.size(); j++) {
                assertEquals(j <= i, order.get(j).started, order.get(j).name + " started while " + order.get(i).name
                        + " runs");
            }
            order.get(i).complete();
        }
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void followUpsAreNeverRefusedNorTimedOutByTheLimiter() {
        AccountLimiter limiter = new AccountLimiter(1, 0, Duration.ofMillis(50), Duration.ZERO);
        Request running = new Request("running");
        submit(limiter, ACCOUNT, Turn.FIRST, running);
        List<Request> followUps = requests(20);
        List<UniAssertSubscriber<String>> outcomes = followUps.stream()
                .map(r -> submit(limiter, ACCOUNT, Turn.FOLLOW_UP, r)).toList();

        submit(limiter, ACCOUNT, Turn.FIRST, new Request("new")).assertFailedWith(LimitReachedException.class);
        assertEquals(20, limiter.queued(ACCOUNT), "beyond max-queued, which counts first requests only");
        // Longer than max-queue-wait: a follow-up waits as long as its caller does.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> outcomes.stream().noneMatch(o -> o.getFailure() != null));

        running.complete();
        for (int i = 0; i < followUps.size(); i++) {
            assertTrue(followUps.get(i).started);
            followUps.get(i).complete();
            outcomes.get(i).assertItem("r" + i);
        }
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void aNewActionThatWouldWaitTooLongIsRefusedAtTheDoorAtOnceAndNeverSent() {
        // No admission wait at all: any first request that finds no free slot is refused.
        AccountLimiter limiter = new AccountLimiter(1, 10, LONG, Duration.ZERO);
        Request running = new Request("running");
        submit(limiter, ACCOUNT, Turn.FIRST, running);

        Request refused = new Request("refused");
        long started = System.nanoTime();
        UniAssertSubscriber<String> outcome = submit(limiter, ACCOUNT, Turn.FIRST, refused);
        Throwable failure = outcome.assertFailedWith(LimitReachedException.class).getFailure();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(failure.getMessage().startsWith("Voicegate's own limit of 1 concurrent Twilio requests for this "
                + "account is reached and the requests already waiting would keep a new one waiting about "),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith(", more than the 0 ms a new request may wait"), failure.getMessage());
        assertFalse(refused.started, "a refused request is never sent");
        assertEquals(0, limiter.queued(ACCOUNT), "nor queued");
        assertTrue(tookMillis < 1000, "refused in the caller's own call, took " + tookMillis + " ms");

        Request followUp = new Request("followUp");
        submit(limiter, ACCOUNT, Turn.FOLLOW_UP, followUp);
        running.complete();
        assertTrue(followUp.started, "the door never refuses a follow-up");
    }

    @Test
    void theDoorEstimatesTheWaitFromTheWorkAheadTheHoldTimeAndTheSlots() {
        Door door = new Door(4, Duration.ofMillis(500));
        assertEquals(Duration.ofMillis(Door.FIRST_GUESS_MILLIS * 11 / 4).toNanos(), door.estimate(10, 0, 0),
                "an ordinary Twilio answer is assumed before a hold time is measured");

        door.held(Duration.ofMillis(100).toNanos());
        door.granted(Turn.FIRST);
        door.granted(Turn.FOLLOW_UP);
        door.granted(Turn.FOLLOW_UP);
        door.granted(Turn.FOLLOW_UP);
        // 3 follow-ups per first: (2 waiting follow-ups + 1 waiting first × 4 + 1 first in flight × 3 + itself)
        // × 100 ms / 4 slots.
        assertEquals(Duration.ofMillis(250).toNanos(), door.estimate(2, 1, 1));
        assertTrue(door.admits(door.estimate(2, 1, 1)));
        assertEquals(Duration.ofMillis(525).toNanos(), door.estimate(0, 5, 0));
        assertFalse(door.admits(door.estimate(0, 5, 0)));
    }

    @Test
    void aRequestWaitingLongerThanTheMaximumFailsWithThrottled() {
        AccountLimiter limiter = new AccountLimiter(1, 5, Duration.ofMillis(150), LONG);
        Request holder = new Request("holder");
        Request waiter = new Request("waiter");
        submit(limiter, ACCOUNT, holder);
        UniAssertSubscriber<String> waiting = submit(limiter, ACCOUNT, waiter);
        assertEquals(1, limiter.queued(ACCOUNT));

        await().atMost(Duration.ofSeconds(5)).until(() -> waiting.getFailure() != null);
        waiting.assertFailedWith(LimitReachedException.class,
                "Voicegate's own limit of 1 concurrent Twilio requests for this account is reached and no slot freed up "
                        + "within 150 ms");
        assertFalse(waiter.started);
        assertEquals(0, limiter.queued(ACCOUNT));

        holder.complete();
        assertFalse(waiter.started, "a request that gave up never runs later");
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void aFailedRequestReleasesItsSlot() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        Request failing = new Request("failing");
        Request next = new Request("next");
        UniAssertSubscriber<String> failed = submit(limiter, ACCOUNT, failing);
        submit(limiter, ACCOUNT, next);

        failing.result.completeExceptionally(new TwilioException.ServerError("boom", 500, 20500, null));

        assertInstanceOf(TwilioException.ServerError.class, failed.getFailure());
        assertTrue(next.started);
        assertEquals(1, limiter.inFlight(ACCOUNT));
        assertEquals(0, limiter.queued(ACCOUNT));
    }

    @Test
    void aRequestThatCannotEvenBeBuiltReleasesItsSlot() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        UniAssertSubscriber<String> broken = limiter.<String>limit(ACCOUNT, Turn.FIRST, () -> {
            throw new IllegalStateException("no client");
        }).subscribe().withSubscriber(UniAssertSubscriber.create());

        broken.assertFailedWith(IllegalStateException.class, "no client");
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void cancellingARunningRequestCancelsItAndReleasesItsSlotOnce() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        Request running = new Request("running");
        Request next = new Request("next");
        Request last = new Request("last");
        UniAssertSubscriber<String> cancelled = submit(limiter, ACCOUNT, running);
        submit(limiter, ACCOUNT, next);
        submit(limiter, ACCOUNT, last);

        // What a fault-tolerance timeout does.
        cancelled.cancel();

        assertTrue(running.result.isCancelled(), "the request itself is cancelled");
        assertTrue(next.started);
        assertFalse(last.started, "the slot was given back once, not twice");
        cancelled.cancel();
        running.complete();
        assertFalse(last.started, "a late outcome of a cancelled request releases nothing more");
        assertEquals(1, limiter.inFlight(ACCOUNT));
        assertEquals(1, limiter.queued(ACCOUNT));
    }

    @Test
    void cancellingAWaitingRequestLeavesTheQueueWithoutEverRunningIt() {
        AccountLimiter limiter = new AccountLimiter(1, 1, LONG, LONG);
        Request holder = new Request("holder");
        Request gaveUp = new Request("gave-up");
        submit(limiter, ACCOUNT, holder);
        submit(limiter, ACCOUNT, gaveUp).cancel();

        assertEquals(0, limiter.queued(ACCOUNT));
        Request next = new Request("next");
        submit(limiter, ACCOUNT, next).assertNotTerminated();
        holder.complete();
        assertFalse(gaveUp.started);
        assertTrue(next.started);
    }

    @Test
    void cancellingAfterTheOutcomeChangesNothing() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        Request first = new Request("first");
        Request second = new Request("second");
        Request third = new Request("third");
        UniAssertSubscriber<String> done = submit(limiter, ACCOUNT, first);
        submit(limiter, ACCOUNT, second);
        submit(limiter, ACCOUNT, third);

        first.complete();
        done.assertItem("first").cancel();

        assertTrue(second.started);
        assertFalse(third.started);
        assertEquals(1, limiter.inFlight(ACCOUNT));
    }

    @Test
    void accountsAreIndependentAndKeyedCaseInsensitively() {
        AccountLimiter limiter = new AccountLimiter(1, 0, LONG, LONG);
        Request busy = new Request("busy");
        submit(limiter, ACCOUNT, busy);

        Request other = new Request("other");
        submit(limiter, OTHER, other);
        assertTrue(other.started, "another account has its own slots");
        submit(limiter, ACCOUNT.toLowerCase(), new Request("same")).assertFailedWith(LimitReachedException.class);
        assertEquals(2, limiter.busyAccounts());

        busy.complete();
        assertEquals(1, limiter.busyAccounts(), "the idle account is dropped, the busy one kept");
        assertEquals(0, limiter.inFlight(ACCOUNT));
        assertEquals(1, limiter.inFlight(OTHER.toUpperCase()));
        other.complete();
        assertEquals(0, limiter.busyAccounts());
    }

    /** Subscribes and cancels inside onSubscribe, before anything else can happen. */
    static <T> List<Object> subscribeAndCancelAtOnce(Uni<T> uni) {
        List<Object> signals = new ArrayList<>();
        uni.subscribe().withSubscriber(new UniSubscriber<T>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onItem(T item) {
                signals.add(item);
            }

            @Override
            public void onFailure(Throwable failure) {
                signals.add(failure);
            }
        });
        return signals;
    }

    @Test
    void aRequestCancelledAtOnceNeverRunsAndHoldsNothing() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        Request cancelled = new Request("cancelled");

        assertDoesNotThrow(() -> subscribeAndCancelAtOnce(limiter.limit(ACCOUNT, Turn.FIRST, cancelled::call)));

        assertFalse(cancelled.started);
        assertEquals(0, limiter.busyAccounts());
        Request next = new Request("next");
        submit(limiter, ACCOUNT, next);
        assertTrue(next.started, "the slot is free");
    }

    @Test
    void aLeaseCancelledAtOnceIsNeverHandedOutAndHoldsNothing() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);

        List<Object> free = subscribeAndCancelAtOnce(limiter.acquire(ACCOUNT, Turn.FIRST));
        assertEquals(List.of(), free, "a slot granted at once is not handed to a subscriber that cancelled");
        assertEquals(0, limiter.busyAccounts());

        Request holder = new Request("holder");
        submit(limiter, ACCOUNT, holder);
        List<Object> queued = subscribeAndCancelAtOnce(limiter.acquire(ACCOUNT, Turn.FIRST));
        assertEquals(List.of(), queued);
        assertEquals(0, limiter.queued(ACCOUNT), "a place in the queue given up at once is not kept");
        holder.complete();
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void cancellationsRacingWithAdmissionNeverThrowNorLeak() throws Exception {
        AccountLimiter limiter = new AccountLimiter(2, 10_000, LONG, LONG);
        ExecutorService canceller = Executors.newSingleThreadExecutor();
        AtomicInteger thrown = new AtomicInteger();
        try {
            // The window the old code had (cancel before the account was known) is narrow: many tries find it.
            for (int i = 0; i < 50_000; i++) {
                Uni<?> request = i % 2 == 0 ? limiter.limit(ACCOUNT, Turn.FIRST, () -> Uni.createFrom().nothing())
                        : limiter.acquire(ACCOUNT, Turn.FIRST);
                CompletableFuture<UniSubscription> handOver = new CompletableFuture<>();
                CompletableFuture<Void> cancelled = CompletableFuture.runAsync(() -> {
                    try {
                        handOver.join().cancel();
                    } catch (RuntimeException e) {
                        thrown.incrementAndGet();
                    }
                }, canceller);
                request.subscribe().withSubscriber(new UniSubscriber<Object>() {
                    @Override
                    public void onSubscribe(UniSubscription subscription) {
                        handOver.complete(subscription);
                    }

                    @Override
                    public void onItem(Object item) {
                        // A lease that arrives as the subscriber cancels is the subscriber's to give back.
                        ((AccountLimiter.Lease) item).release();
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                    }
                });
                cancelled.get(5, TimeUnit.SECONDS);
            }
        } finally {
            canceller.shutdownNow();
        }
        assertEquals(0, thrown.get(), "a cancellation never throws");
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.busyAccounts() == 0);
    }

    @Test
    void aLeaseHoldsItsSlotUntilReleasedAndOnlyTheFirstReleaseCounts() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        AccountLimiter.Lease lease = limiter.acquire(ACCOUNT, Turn.FIRST).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertCompleted().getItem();
        Request waiting = new Request("waiting");
        Request last = new Request("last");
        submit(limiter, ACCOUNT, waiting);
        submit(limiter, ACCOUNT, last);
        assertFalse(waiting.started, "the lease holds the only slot");

        lease.release();
        assertTrue(waiting.started);
        lease.release();
        assertFalse(last.started, "a second release gives nothing more back");
        assertEquals(1, limiter.inFlight(ACCOUNT));
    }

    @Test
    void aWaitingLeaseComesInArrivalOrderAndCancellingAfterItArrivedKeepsIt() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        Request holder = new Request("holder");
        submit(limiter, ACCOUNT, holder);
        UniAssertSubscriber<AccountLimiter.Lease> waiter = limiter.acquire(ACCOUNT, Turn.FIRST)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        Request after = new Request("after");
        submit(limiter, ACCOUNT, after);
        waiter.assertNotTerminated();
        assertEquals(2, limiter.queued(ACCOUNT));

        holder.complete();
        AccountLimiter.Lease lease = waiter.assertCompleted().getItem();
        waiter.cancel();
        assertFalse(after.started, "cancelling after the lease arrived does not give it back; release does");

        lease.release();
        assertTrue(after.started);
    }

    @Test
    void aLeaseCancelledWhileWaitingLeavesTheQueue() {
        AccountLimiter limiter = new AccountLimiter(1, 5, LONG, LONG);
        Request holder = new Request("holder");
        submit(limiter, ACCOUNT, holder);
        UniAssertSubscriber<AccountLimiter.Lease> waiter = limiter.acquire(ACCOUNT, Turn.FIRST)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(1, limiter.queued(ACCOUNT));

        waiter.cancel();
        assertEquals(0, limiter.queued(ACCOUNT));
        holder.complete();
        waiter.assertNotTerminated();
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void throttledIsNeverRetried() {
        TwilioException.Throttled throttled = new TwilioException.Throttled("limit reached");
        assertFalse(new RetryPolicy.Reads().test(throttled));
        assertFalse(new RetryPolicy.CreateCall().test(throttled));
    }

    @Test
    void immediateRequestsRunOneAfterAnotherWithoutLeaking() {
        AccountLimiter limiter = new AccountLimiter(2, 1000, LONG, LONG);
        for (int i = 0; i < 500; i++) {
            String value = "v" + i;
            limiter.limit(ACCOUNT, Turn.FIRST, () -> Uni.createFrom().item(value))
                    .subscribe().withSubscriber(UniAssertSubscriber.create()).assertItem(value);
        }
        assertEquals(0, limiter.busyAccounts());
    }

    @Test
    void underConcurrentLoadTheBoundHoldsAndEveryRequestEnds() throws InterruptedException {
        int bound = 4;
        AccountLimiter limiter = new AccountLimiter(bound, 10_000, LONG, LONG);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        int n = 2000;
        try {
            for (int i = 0; i < n; i++) {
                String account = i % 3 == 0 ? OTHER : ACCOUNT;
                boolean fail = i % 7 == 0;
                Turn turn = i % 2 == 0 ? Turn.FIRST : Turn.FOLLOW_UP;
                Uni<String> limited = limiter.limit(account, turn, () -> {
                    if (account.equals(ACCOUNT)) {
                        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    }
                    return Uni.createFrom().completionStage(CompletableFuture.supplyAsync(() -> {
                        busyWait();
                        if (account.equals(ACCOUNT)) {
                            inFlight.decrementAndGet();
                        }
                        if (fail) {
                            throw new IllegalStateException("failed on purpose");
                        }
                        return "ok";
                    }, pool));
                });
                pool.execute(() -> limited.subscribe().with(item -> ended.incrementAndGet(),
                        failure -> ended.incrementAndGet()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ended.get() == n);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertTrue(maxInFlight.get() <= bound, "saw " + maxInFlight.get() + " in flight");
        assertTrue(maxInFlight.get() > 1, "requests ran in parallel");
        assertEquals(0, limiter.busyAccounts());
    }

    private static void busyWait() {
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(20_000, 200_000);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
