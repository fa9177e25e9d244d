package dev.voicegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.TestConfig;

/** A key's actions must exist: a typo would lock the key out without a word, so the start-up names it. */
class KnownActionsTest {

    static final Set<String> ACTIONS = new LinkedHashSet<>(List.of("make_call", "list_calls", "get_recording"));

    @Test
    void namesAnUnknownActionAndTheSetting() {
        assertEquals(List.of(), KnownActions.problems(TestConfig.of(Map.of(
                "voicegate.access.keys.reporting.actions", "list_calls,get_recording")), ACTIONS));
        assertEquals(List.of("voicegate.access.keys.reporting.actions: 'list_call' is not an action (make_call, "
                + "list_calls, get_recording)"), KnownActions.problems(TestConfig.of(Map.of(
                        "voicegate.access.keys.reporting.actions", "list_call,get_recording")), ACTIONS));
    }
}
