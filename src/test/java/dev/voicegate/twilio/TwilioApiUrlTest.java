package dev.voicegate.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * TWILIO_REGION and TWILIO_EDGE as the official SDKs read them, and which URL wins: the rule itself, then the real
 * application.properties with this source under environment variables and system properties.
 */
class TwilioApiUrlTest {

    @Test
    void theSdksRule() {
        assertEquals("https://api.twilio.com", TwilioApiUrl.url(Optional.empty(), Optional.empty()));
        assertEquals("https://api.ie1.twilio.com", TwilioApiUrl.url(Optional.of("ie1"), Optional.empty()));
        assertEquals("https://api.sydney.us1.twilio.com", TwilioApiUrl.url(Optional.empty(), Optional.of("sydney")));
        assertEquals("https://api.dublin.ie1.twilio.com", TwilioApiUrl.url(Optional.of("ie1"), Optional.of("dublin")));
        assertEquals("https://api.sao-paulo.br1.twilio.com", TwilioApiUrl.url(Optional.of("br1"), Optional.of("sao-paulo")));
    }

    /** The REST client's URL (which the recording downloads read too) with these environment variables set. */
    static String restUrl(Map<String, String> environment, Map<String, String> systemProperties) throws IOException {
        URL properties = TwilioApiUrlTest.class.getClassLoader().getResource("application.properties");
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(systemProperties, "system properties", 400))
                .withSources(new TwilioApiUrl(name -> environment.getOrDefault(name,
                        systemProperties.get(name.toLowerCase().replace("twilio_", "voicegate.twilio.")))))
                .build();
        return config.getValue("quarkus.rest-client.twilio.url", String.class);
    }

    @Test
    void regionAndEdgeSetTheUrlAndTwilioBaseUrlWins() throws IOException {
        assertEquals("https://api.twilio.com", restUrl(Map.of(), Map.of()));
        assertEquals("https://api.ie1.twilio.com", restUrl(Map.of("TWILIO_REGION", "ie1"), Map.of()));
        assertEquals("https://api.tokyo.us1.twilio.com", restUrl(Map.of("TWILIO_EDGE", "tokyo"), Map.of()));
        assertEquals("https://api.dublin.ie1.twilio.com",
                restUrl(Map.of("TWILIO_REGION", "ie1", "TWILIO_EDGE", "dublin"), Map.of()));
        assertEquals("https://api.frankfurt.de1.twilio.com",
                restUrl(Map.of(), Map.of("voicegate.twilio.region", "de1", "voicegate.twilio.edge", "frankfurt")));
        Map<String, String> both = new HashMap<>(Map.of("TWILIO_REGION", "ie1", "TWILIO_EDGE", "dublin"));
        both.put("TWILIO_BASE_URL", "http://127.0.0.1:9000");
        assertEquals("http://127.0.0.1:9000", restUrl(both, Map.of()));
        assertEquals("http://127.0.0.1:9001", restUrl(Map.of("TWILIO_REGION", "ie1"),
                Map.of("quarkus.rest-client.twilio.url", "http://127.0.0.1:9001")));
    }
}
