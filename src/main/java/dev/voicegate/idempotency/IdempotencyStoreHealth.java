package dev.voicegate.idempotency;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness details of the idempotency store: its kind and, with Redis, whether a PING answers now. Always up: every
 * replica shares the one Redis, so failing readiness with it would take them all out at once (see
 * {@code observability.RedisHealth}); a keyed make_call fails closed by itself meanwhile ({@code upstream_unavailable}).
 */
@Readiness
@ApplicationScoped
public class IdempotencyStoreHealth implements AsyncHealthCheck {

    private final IdempotencyStore store;

    IdempotencyStoreHealth(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.ping()
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .map(ok -> HealthCheckResponse.named("idempotency-store").up().withData("kind", store.kind())
                        .withData("degraded", false).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("idempotency-store").up()
                        .withData("kind", store.kind()).withData("degraded", true).withData("error", "unreachable")
                        .build());
    }
}
