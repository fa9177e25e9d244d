package dev.voicegate.registry;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.access.CallTarget;
import dev.voicegate.access.Caller;
import dev.voicegate.access.Guard;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.dnc.DoNotCall;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.observability.ActionMetrics;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.observability.PolicyMetrics;
import dev.voicegate.quota.Allowance;
import dev.voicegate.quota.Quotas;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.voice.Action;
import dev.voicegate.voice.ActionContext;
import dev.voicegate.voice.ActionInput;
import dev.voicegate.voice.ActionOutput;
import dev.voicegate.voice.ActionResult;
import dev.voicegate.voice.Confirmation;
import dev.voicegate.voice.Surface;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The one registry of actions and the one way to run them, for every surface (tool call, REST, MCP):
 * parse strictly, validate, check the caller's policy and the do-not-call list, resolve credentials, then call Twilio. Anything rejected
 * before the last step costs no upstream request. Every {@link Action} bean is registered, in {@code @Priority}
 * order (highest first), so a new action needs no edit here.
 */
@ApplicationScoped
public class ActionDispatcher {

    private final Map<String, Action<?, ?>> actions = new LinkedHashMap<>();
    private final InputParser parser;
    private final ActionMetrics metrics;
    private final Guard guard;
    private final Quotas quotas;
    private final PolicyMetrics policyMetrics;
    private final AuditTrail audit;
    private final DoNotCall doNotCall;

    ActionDispatcher(InputParser parser, ActionMetrics metrics, @All List<Action<?, ?>> actions, Guard guard,
            Quotas quotas, PolicyMetrics policyMetrics, AuditTrail audit, DoNotCall doNotCall) {
        this.doNotCall = doNotCall;
        this.parser = parser;
        this.metrics = metrics;
        this.guard = guard;
        this.quotas = quotas;
        this.policyMetrics = policyMetrics;
        this.audit = audit;
        for (Action<?, ?> action : actions) {
            this.actions.put(action.name(), action);
        }
    }

    /** Every action by name, in catalog order. */
    public Map<String, Action<?, ?>> actions() {
        return actions;
    }

    /** Every action's metric series on every surface, from start-up (counters at zero). */
    void registerMetrics(@Observes StartupEvent event) {
        List<String> surfaces = Arrays.stream(Surface.values()).map(Surface::tag).toList();
        actions.keySet().forEach(name -> metrics.register(name, surfaces));
    }

    public Optional<Action<?, ?>> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public <I extends ActionInput, O extends ActionOutput> Uni<ActionResult<O>> invoke(Action<I, O> action,
            JsonNode params, Caller caller, Surface surface) {
        return invoke(action, params, caller, surface, ActionContext.Progress.NONE);
    }

    /** As {@link #invoke(Action, JsonNode, Caller, Surface)}, telling {@code progress} what the action follows. */
    public <I extends ActionInput, O extends ActionOutput> Uni<ActionResult<O>> invoke(Action<I, O> action,
            JsonNode params, Caller caller, Surface surface, ActionContext.Progress progress) {
        return invoke(action, params, caller, surface, progress, Confirmation.NONE);
    }

    /**
     * As {@link #invoke(Action, JsonNode, Caller, Surface, ActionContext.Progress)}, with a human the action may ask
     * to confirm (MCP form elicitation): what it asks and when is the action's, the same for every surface.
     */
    public <I extends ActionInput, O extends ActionOutput> Uni<ActionResult<O>> invoke(Action<I, O> action,
            JsonNode params, Caller caller, Surface surface, ActionContext.Progress progress, Confirmation confirmation) {
        long started = System.nanoTime();
        return run(action, params, caller, surface, progress, confirmation).invoke(result -> metrics.record(action.name(), surface.tag(),
                result.outcome(), Duration.ofNanos(System.nanoTime() - started)));
    }

    /**
     * The checks before anything is sent to Twilio, for the media endpoint, which streams and so is no action: strict
     * parsing, validation, the caller's policy as for the action {@code asAction} (its account and actions), then
     * credentials for the input's account. Throws {@link ActionException}.
     */
    public <I extends ActionInput> Admitted<I> admit(JsonNode params, Class<I> inputType, Caller caller, String asAction) {
        I input = parser.parse(params, inputType);
        input.validate();
        guard.check(caller, asAction, input.accountSid(), null);
        return new Admitted<>(input, caller.credentialsFor(input.accountSid()));
    }

    /** A request that passed {@link #admit}: its input and the Twilio credentials for its account. */
    public record Admitted<I extends ActionInput>(I input, TwilioCredentials credentials) {
    }

    private <I extends ActionInput, O extends ActionOutput> Uni<ActionResult<O>> run(Action<I, O> action,
            JsonNode params, Caller caller, Surface surface, ActionContext.Progress progress, Confirmation confirmation) {
        I input;
        try {
            input = parser.parse(params, action.inputType());
            input.validate();
        } catch (ActionException rejected) {
            return Uni.createFrom().item(failed(action, rejected.failure()));
        }
        CallTarget target = input.callTarget();
        Allowance allowance = quotas.allowance(caller);
        return Uni.createFrom().deferred(() -> {
            // The policy, once, between validation and run: what it refuses reaches nobody.
            guard.check(caller, action.name(), input.accountSid(), target);
            ActionContext context = new ActionContext(caller, caller.credentialsFor(input.accountSid()), surface, allowance,
                    progress, confirmation);
            // The do-not-call list is read without blocking (Redis); a listed number or an unreadable list ends here.
            return doNotCall.check(target).flatMap(unlisted -> allowance.countRequest(target != null))
                    .flatMap(counted -> action.run(input, context));
        }).onFailure(ActionException.class).recoverWithItem(failure -> {
            if (failure instanceof PolicyDenial denial) {
                allowance.refused(denial.rule());
            }
            return failed(action, ((ActionException) failure).failure());
        }).invoke(result -> decided(caller, action.name(), input, target, allowance, result));
    }

    /** Denial metrics for every action; an audit line for every refusal and for every request that would place a call. */
    private void decided(Caller caller, String action, ActionInput input, CallTarget target, Allowance allowance,
            ActionResult<?> result) {
        String rule = allowance.refusedBy();
        if (rule != null) {
            policyMetrics.denied(rule, caller.name());
            if (target == null) {
                audit.refused(caller.name(), action, input.auditTarget(), rule);
            }
        }
        if (target != null) {
            audit.makeCall(caller.name(), input.accountSid(), target.to(), target.from(), rule, result.replayed(),
                    result.output().callSid(), result.outcome());
        }
    }

    private static <O extends ActionOutput> ActionResult<O> failed(Action<?, O> action, ActionFailure failure) {
        return ActionResult.failed(action.failure(failure.error()), failure);
    }
}
