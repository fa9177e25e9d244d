package dev.voicegate.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.observability.ActionMetrics;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.voice.Action;
import dev.voicegate.voice.ActionException;
import dev.voicegate.voice.ActionInput;
import dev.voicegate.voice.ActionResult;
import dev.voicegate.voice.GetRecordingAction;
import dev.voicegate.voice.ListCallsAction;
import dev.voicegate.voice.MakeCallAction;
import io.smallrye.mutiny.Uni;

/**
 * Runs an action from JSON parameters, the same way for the tool-call and the REST endpoints:
 * parse strictly, validate, resolve credentials, then call Twilio. Anything rejected before the last
 * step costs no upstream request.
 */
@ApplicationScoped
public class ActionDispatcher {

    private final Map<String, Action<?, ?>> actions = new LinkedHashMap<>();
    private final InputParser parser;
    private final ActionMetrics metrics;

    ActionDispatcher(InputParser parser, ActionMetrics metrics, MakeCallAction makeCall, ListCallsAction listCalls,
            GetRecordingAction getRecording) {
        this.parser = parser;
        this.metrics = metrics;
        for (Action<?, ?> action : new Action<?, ?>[] { makeCall, listCalls, getRecording }) {
            actions.put(action.name(), action);
        }
    }

    public Map<String, Action<?, ?>> actions() {
        return actions;
    }

    public Optional<Action<?, ?>> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public <I extends ActionInput, O> Uni<ActionResult<O>> invoke(Action<I, O> action, JsonNode params, Caller caller) {
        long started = System.nanoTime();
        return run(action, params, caller).invoke(result -> metrics.record(action.name(), result.outcome(),
                Duration.ofNanos(System.nanoTime() - started)));
    }

    private <I extends ActionInput, O> Uni<ActionResult<O>> run(Action<I, O> action, JsonNode params, Caller caller) {
        try {
            I input = parser.parse(params, action.inputType());
            input.validate();
            TwilioCredentials credentials = caller.credentialsFor(input.accountSid());
            return action.run(input, credentials);
        } catch (ActionException rejected) {
            return Uni.createFrom().item(ActionResult.failed(action.failure(rejected.failure().error()), rejected.failure()));
        }
    }
}
