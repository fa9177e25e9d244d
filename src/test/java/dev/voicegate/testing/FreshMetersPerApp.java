package dev.voicegate.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Tests restart the application many times in one JVM, and Micrometer's global registry outlives each: Quarkus
 * empties it on shutdown in dev mode only. A gauge left there by an earlier application (its weakly held value gone)
 * would then stand for the next application's gauge of the same name, which /q/metrics would no longer show. One
 * application per JVM in production, so this is the tests' concern alone.
 */
@ApplicationScoped
public class FreshMetersPerApp {

    void forgetThisApplicationsMeters(@Observes ShutdownEvent event) {
        Metrics.globalRegistry.getMeters().forEach(Metrics.globalRegistry::remove);
    }
}
