package dev.voicegate.testing;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Closes every circuit breaker between tests, when the application runs in the test's JVM. Suites that
 * also run as {@code @QuarkusIntegrationTest} cannot inject beans; there WireMockTwilio disables the breakers.
 */
public final class Breakers {

    private Breakers() {
    }

    public static void resetAll() {
        ArcContainer container = Arc.container();
        if (container != null && container.isRunning()) {
            container.instance(CircuitBreakerMaintenance.class).get().resetAll();
        }
    }
}
