package dev.voicegate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

import io.quarkus.test.junit.QuarkusTest;

/** Hostile input, parameter by parameter: every mutation of every parameter, and the refused numbers. */
@QuarkusTest
class HostileParametersTest extends HostileInputSuite {

    static Stream<Arguments> corpus() {
        List<Case> cases = new ArrayList<>();
        for (ActionSpec action : ACTIONS) {
            parameterCases(action, cases);
        }
        policyCases(cases);
        return arguments(cases);
    }

    @Test
    void corpusIsLargeAndCoversEveryParameter() {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 100, "corpus size " + cases.size());
        for (ActionSpec action : ACTIONS) {
            for (Param param : action.params()) {
                String prefix = action.name() + "." + param.name() + " ";
                assertTrue(cases.stream().filter(c -> c.name().startsWith(prefix)).count() >= 8, prefix);
            }
        }
        assertEquals(cases.size(), cases.stream().map(Case::name).distinct().count(), "case names are unique: "
                + cases.stream().collect(Collectors.groupingBy(Case::name, Collectors.counting())).entrySet().stream()
                        .filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
    }
}
