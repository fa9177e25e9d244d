package dev.voicegate.ledger;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.runtime.Startup;

/**
 * The ledger's writes, read at each scrape and registered at start-up with either store (all zero in memory):
 * {@code voicegate_ledger_write_lag_seconds} (how long the oldest write not yet in Redis has waited),
 * {@code voicegate_ledger_pending_writes} and {@code voicegate_ledger_dropped_writes_total} (lost because the local
 * queue was full). The readiness check's details say the same ({@link LedgerHealth}).
 */
@Startup
@Singleton
class LedgerMetrics {

    LedgerMetrics(Ledger ledger, MeterRegistry registry) {
        TimeGauge.builder("voicegate.ledger.write.lag", ledger, TimeUnit.NANOSECONDS, l -> l.writeLag().toNanos())
                .description("How long the oldest ledger write not yet in the store has waited").register(registry);
        Gauge.builder("voicegate.ledger.pending.writes", ledger, l -> l.backlog().pending())
                .description("Ledger writes kept locally while the store does not answer").register(registry);
        FunctionCounter.builder("voicegate.ledger.dropped.writes", ledger, l -> l.backlog().dropped())
                .description("Ledger writes lost because the local queue was full").register(registry);
    }
}
