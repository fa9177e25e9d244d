package dev.voicegate.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Twilio's status callbacks on: {@code PUBLIC_URL} set (Twilio would reach the service there), a safety poll short
 * enough for a test, and WireMock (loopback) allowed as a relay target.
 */
public class CallbacksOn implements QuarkusTestProfile {

    public static final String PUBLIC_URL = "https://voicegate.example.test";
    public static final String SAFETY_POLL_SECONDS = "3";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("voicegate.callbacks.public-url", PUBLIC_URL,
                "voicegate.callbacks.safety-poll", SAFETY_POLL_SECONDS + "s",
                "voicegate.callbacks.relay-allow", "127.0.0.1/32,localhost");
    }
}
