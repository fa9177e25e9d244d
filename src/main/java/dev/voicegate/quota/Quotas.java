package dev.voicegate.quota;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

import dev.voicegate.access.Caller;
import dev.voicegate.access.Policy;
import dev.voicegate.observability.PolicyMetrics;
import io.smallrye.mutiny.Uni;

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

    /**
     * What the named key has used of each of its quota windows (requests per minute, calls per minute, hour, day),
     * without taking anything; none for a key without quotas. Fails with {@link QuotaUnavailableException}.
     */
    public Uni<List<QuotaUse>> use(String keyName, Policy.Limits limits) {
        List<Window> windows = new ArrayList<>(Window.requests(limits));
        windows.addAll(Window.calls(limits));
        if (windows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return store.used(Allowance.counter(keyName), windows).map(used -> {
            List<QuotaUse> use = new ArrayList<>(windows.size());
            for (int i = 0; i < windows.size(); i++) {
                Window window = windows.get(i);
                use.add(new QuotaUse(window.name(), Math.min(used.get(i), window.limit()), window.limit()));
            }
            return use;
        });
    }
}
