package dev.voicegate.idempotency;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Readiness: the idempotency store answers (always true in memory; a PING when it is Redis). */
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
                .map(ok -> HealthCheckResponse.named("idempotency-store").up().withData("kind", store.kind()).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("idempotency-store").down()
                        .withData("kind", store.kind()).withData("error", "unreachable").build());
    }
}
