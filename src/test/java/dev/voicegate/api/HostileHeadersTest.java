package dev.voicegate.api;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import io.quarkus.test.junit.QuarkusTest;

/** Hostile headers: the Authorization header against every endpoint, and malformed or misplaced Idempotency-Keys. */
@QuarkusTest
class HostileHeadersTest extends HostileInputSuite {

    static Stream<Arguments> corpus() {
        List<Case> cases = new ArrayList<>();
        authCases(cases);
        idempotencyHeaderCases(cases);
        return arguments(cases);
    }
}
