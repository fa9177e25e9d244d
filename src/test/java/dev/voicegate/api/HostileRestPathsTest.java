package dev.voicegate.api;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import io.quarkus.test.junit.QuarkusTest;

/** Hostile input on the REST resources' path segments and query strings. */
@QuarkusTest
class HostileRestPathsTest extends HostileInputSuite {

    static Stream<Arguments> corpus() {
        List<Case> cases = new ArrayList<>();
        restPathAndQueryCases(cases);
        return arguments(cases);
    }
}
