package dev.voicegate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same suite against the packaged application ({@code ./mvnw verify}). */
@QuarkusIntegrationTest
class ListCallsFiltersIT extends ListCallsFiltersTest {
}
