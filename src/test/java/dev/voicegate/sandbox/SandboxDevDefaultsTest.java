package dev.voicegate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Dev mode and the sandbox profile default PUBLIC_URL to the service's own port, the port the Twilio client's
 * sandbox URL uses, so Voicegate asks the sandbox for callbacks it can deliver; the production default stays unset.
 */
class SandboxDevDefaultsTest {

    private static SmallRyeConfig config(String profile, Map<String, String> set) throws IOException {
        URL properties = SandboxDevDefaultsTest.class.getClassLoader().getResource("application.properties");
        // Only the file and the given values: the environment (a PUBLIC_URL of the machine) stays out.
        return new SmallRyeConfigBuilder().withProfile(profile)
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new PropertiesConfigSource(set, "test", 400))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "sandbox" })
    void publicUrlIsTheServiceOnItsOwnPort(String profile) throws IOException {
        assertEquals("http://localhost:8080", config(profile, Map.of())
                .getValue("voicegate.callbacks.public-url", String.class));
        SmallRyeConfig moved = config(profile, Map.of("quarkus.http.port", "9123"));
        assertEquals("http://localhost:9123", moved.getValue("voicegate.callbacks.public-url", String.class));
        assertEquals("http://localhost:9123/sandbox", moved.getValue("quarkus.rest-client.twilio.url", String.class));
        assertEquals("https://voice.example.com", config(profile, Map.of("PUBLIC_URL", "https://voice.example.com"))
                .getValue("voicegate.callbacks.public-url", String.class));
    }

    @ParameterizedTest
    @ValueSource(strings = { "prod", "test" })
    void elsewhereItStaysUnset(String profile) throws IOException {
        assertTrue(config(profile, Map.of()).getOptionalValue("voicegate.callbacks.public-url", String.class).isEmpty());
    }
}
