package dev.voicegate.quota;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.Caller;
import dev.voicegate.observability.PolicyMetrics;

/** Hands each request its {@link Allowance} on the one quota store. */
@ApplicationScoped
public class Quotas {

    private final QuotaStore store;
    private final PolicyMetrics metrics;

    Quotas(QuotaStore store, PolicyMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    public Allowance allowance(Caller caller) {
        return new Allowance(caller, store, metrics);
    }
}
