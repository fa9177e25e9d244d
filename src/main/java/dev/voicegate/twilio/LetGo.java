package dev.voicegate.twilio;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * Lets go of a guarded attempt's result once it is handed on. SmallRye Fault Tolerance's thread offload leaves its
 * last task referenced by the worker thread that ran it, and through the task its futures keep their value and
 * their callbacks, so the whole answer that followed (a list_calls page of 1000, mapped and written) stayed on the
 * heap while the thread idled: about 3 MB for each of the pool's threads, enough to pin half of a 96 MB heap and set
 * the collector thrashing. Here the guard sees only a box, emptied when its value is delivered, and a subscriber
 * that forgets its downstream after the one signal.
 */
final class LetGo {

    private LetGo() {
    }

    /** The attempt, boxed for the guard. */
    static <T> Supplier<Uni<Box<T>>> boxed(Supplier<Uni<T>> attempt) {
        return () -> attempt.get().map(Box::new);
    }

    /** The guard's boxed result, unboxed, with nothing of it or of the downstream kept once delivered. */
    static <T> Uni<T> unboxed(Uni<Box<T>> guarded) {
        return new AbstractUni<T>() {
            @Override
            public void subscribe(UniSubscriber<? super T> downstream) {
                AbstractUni.subscribe(guarded, new Forget<>(downstream));
            }
        };
    }

    static final class Box<T> {
        private T value;

        Box(T value) {
            this.value = value;
        }

        T take() {
            T taken = value;
            value = null;
            return taken;
        }
    }

    private static final class Forget<T> implements UniSubscriber<Box<T>> {
        private volatile UniSubscriber<? super T> downstream;

        Forget(UniSubscriber<? super T> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            UniSubscriber<? super T> current = downstream;
            if (current != null) {
                current.onSubscribe(() -> {
                    downstream = null; // a cancelled attempt may never signal
                    subscription.cancel();
                });
            }
        }

        @Override
        public void onItem(Box<T> box) {
            UniSubscriber<? super T> current = downstream;
            downstream = null;
            if (current != null) {
                current.onItem(box == null ? null : box.take());
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            UniSubscriber<? super T> current = downstream;
            downstream = null;
            if (current != null) {
                current.onFailure(failure);
            }
        }
    }
}
