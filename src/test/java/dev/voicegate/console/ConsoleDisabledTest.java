package dev.voicegate.console;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.GuardedKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code CONSOLE_ENABLED=false}: everything under {@code /console} is 404, pages, forms and static files alike. */
@QuarkusTest
@TestProfile(ConsoleDisabledTest.Disabled.class)
class ConsoleDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(GuardedKeys.config());
            config.put("voicegate.console.enabled", "false");
            return config;
        }
    }

    @Test
    void everyConsolePathIsNotFound() {
        for (String path : new String[] {"/console", "/console/", "/console/sign-in", "/console/calls",
                "/console/stream/calls", "/console/static/console.css", "/console/static/console.js"}) {
            given().redirects().follow(false).get(path).then().statusCode(404);
        }
        given().redirects().follow(false).formParam("key", GuardedKeys.secret("operator")).post("/console/sign-in")
                .then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
    }
}
