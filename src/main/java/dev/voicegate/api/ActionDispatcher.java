package dev.voicegate.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.observability.ActionMetrics;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.voice.Action;
import dev.voicegate.voice.ActionContext;
import dev.voicegate.voice.ActionInput;
import dev.voicegate.voice.ActionOutput;
import dev.voicegate.voice.ActionResult;
import dev.voicegate.voice.Surface;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;

/**
 * The one registry of actions and the one way to run them, for every surface (tool call, REST, MCP):
 * parse strictly, validate, resolve credentials, then call Twilio. Anything rejected before the last
 * step costs no upstream request. Every {@link Action} bean is registered, in {@code @Priority} order
 * (highest first), so a new action needs no edit here.
 */
@ApplicationScoped
public class ActionDispatcher {

    private final Map<String, Action<?, ?>> actions = new LinkedHashMap<>();
    private final InputParser parser;
    private final ActionMetrics metrics;

    ActionDispatcher(InputParser parser, ActionMetrics metrics, @All List<Action<?, ?>> actions) {
        this.parser = parser;
        this.metrics = metrics;
        for (Action<?, ?> action : actions) {
            this.actions.put(action.name(), action);
        }
    }

    /** Every action by name, in catalog order. */
    public Map<String, Action<?, ?>> actions() {
        return actions;
    }

    public Optional<Action<?, ?>> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public <I extends ActionInput, O extends ActionOutput> Uni<ActionResult<O>> invoke(Action<I, O> action,
            JsonNode params, Caller caller, Surface surface) {
        long started = System.nanoTime();
        return run(action, params, caller, surface).invoke(result -> metrics.record(action.name(), surface.tag(),
                result.outcome(), Duration.ofNanos(System.nanoTime() - started)));
    }

    /**
     * The checks every request passes before anything is sent to Twilio, in this order: strict parsing, validation,
     * credentials for the input's account. Throws {@link ActionException}. Also used by the media endpoint, which
     * streams and so is no action.
     */
    public <I extends ActionInput> Admitted<I> admit(JsonNode params, Class<I> inputType, Caller caller) {
        I input = parser.parse(params, inputType);
        input.validate();
        return new Admitted<>(input, caller.credentialsFor(input.accountSid()));
    }

    /** A request that passed {@link #admit}: its input and the Twilio credentials for its account. */
    public record Admitted<I extends ActionInput>(I input, TwilioCredentials credentials) {
    }

    private <I extends ActionInput, O extends ActionOutput> Uni<ActionResult<O>> run(Action<I, O> action,
            JsonNode params, Caller caller, Surface surface) {
        try {
            Admitted<I> admitted = admit(params, action.inputType(), caller);
            return action.run(admitted.input(), new ActionContext(caller, admitted.credentials(), surface));
        } catch (ActionException rejected) {
            return Uni.createFrom().item(ActionResult.failed(action.failure(rejected.failure().error()), rejected.failure()));
        }
    }
}
