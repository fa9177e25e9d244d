package dev.voicegate.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness details of the call ledger. Always up: writing the ledger never holds back a make_call, so Redis being
 * away does not make this replica unready (the idempotency store's check says so). It shows the writes kept locally
 * meanwhile: {@code pending_writes}, {@code dropped_writes} (the queue was full) and {@code degraded}.
 */
@Readiness
@ApplicationScoped
public class LedgerHealth implements HealthCheck {

    private final Ledger ledger;

    LedgerHealth(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        Ledger.Backlog backlog = ledger.backlog();
        return HealthCheckResponse.named("ledger").up()
                .withData("store", ledger.kind())
                .withData("pending_writes", backlog.pending())
                .withData("dropped_writes", backlog.dropped())
                .withData("degraded", backlog.degraded())
                .build();
    }
}
