package dev.voicegate.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.voicegate.config.VoicegateConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The start-up check of the one policy setting only the registry can judge, beside ConfigCheck: a key's
 * {@code actions} must name actions that exist, since a typo would otherwise lock the key out without a word.
 */
@Singleton
public class KnownActions {

    void onStart(@Observes StartupEvent event, VoicegateConfig config, ActionDispatcher dispatcher) {
        List<String> problems = problems(config, dispatcher.actions().keySet());
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(VoicegateConfig config, Set<String> actions) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, VoicegateConfig.Key> key : new TreeMap<>(config.access().keys()).entrySet()) {
            for (String action : key.getValue().actions().orElse(List.of())) {
                if (!actions.contains(action)) {
                    problems.add("voicegate.access.keys." + key.getKey() + ".actions: '" + action + "' is not an action ("
                            + String.join(", ", actions) + ")");
                }
            }
        }
        return problems;
    }
}
