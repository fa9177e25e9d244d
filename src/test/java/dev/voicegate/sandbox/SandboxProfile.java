package dev.voicegate.sandbox;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Serves the embedded Twilio sandbox in tests, as the dev and sandbox profiles do. */
public class SandboxProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("voicegate.sandbox.enabled", "true");
    }
}
