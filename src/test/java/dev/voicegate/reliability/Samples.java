package dev.voicegate.reliability;

import java.util.Arrays;

/** Latencies in milliseconds, appended by one thread, merged and read once the load has stopped. */
final class Samples {

    private long[] values = new long[1024];
    private int size;

    void add(long millis) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = millis;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** The nearest-rank percentile, e.g. {@code percentile(99)}; 0 when empty. */
    long percentile(double percent) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)];
    }

    long max() {
        return percentile(100);
    }
}
