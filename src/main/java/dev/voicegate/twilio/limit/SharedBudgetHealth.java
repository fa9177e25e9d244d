package dev.voicegate.twilio.limit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness details of the Twilio budget: its mode ({@code local}, {@code shared}, or {@code local-share} while Redis
 * is unreachable) and the slots per account this replica may hold. Always up: the local share keeps serving.
 */
@Readiness
@ApplicationScoped
public class SharedBudgetHealth implements HealthCheck {

    private final SharedBudget budget;

    SharedBudgetHealth(SharedBudget budget) {
        this.budget = budget;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("twilio-budget").up().withData("mode", budget.mode())
                .withData("per-account", budget.perAccount()).build();
    }
}
