package dev.voicegate.twilio;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Twilio's API URL from {@code TWILIO_REGION} and {@code TWILIO_EDGE}, as the official SDKs build it: region alone
 * {@code api.{region}.twilio.com}, edge alone {@code api.{edge}.us1.twilio.com}, both {@code api.{edge}.{region}.twilio.com},
 * neither {@code api.twilio.com}. This low-priority source gives it as {@value #PROPERTY}, the default of
 * {@code quarkus.rest-client.twilio.url} in {@code application.properties}, which the REST client and the recording
 * downloads both read; {@code TWILIO_BASE_URL} (or that property set directly) wins. Read from the environment or the
 * {@code -D} system properties {@code voicegate.twilio.region} / {@code voicegate.twilio.edge}; {@code config.ConfigCheck}
 * refuses values of the wrong shape at start-up, before any request is sent.
 */
public class TwilioApiUrl implements ConfigSource {

    /** Outside {@code voicegate.*}: that prefix is the config mapping's, which refuses names it does not declare. */
    public static final String PROPERTY = "twilio-api-url";

    private final UnaryOperator<String> settings;

    public TwilioApiUrl() {
        this(TwilioApiUrl::fromEnvironment);
    }

    /** {@code settings}: a setting's value by its environment variable name (TWILIO_REGION, TWILIO_EDGE), or null. */
    TwilioApiUrl(UnaryOperator<String> settings) {
        this.settings = settings;
    }

    /** The URL for this region and edge (either may be absent), by the SDKs' rule. */
    public static String url(Optional<String> region, Optional<String> edge) {
        if (edge.isPresent()) {
            return "https://api." + edge.get() + "." + region.orElse("us1") + ".twilio.com";
        }
        return region.map(r -> "https://api." + r + ".twilio.com").orElse("https://api.twilio.com");
    }

    private static String fromEnvironment(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name.toLowerCase().replace("twilio_", "voicegate.twilio."));
    }

    private Optional<String> setting(String name) {
        return Optional.ofNullable(settings.apply(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PROPERTY, getValue(PROPERTY));
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PROPERTY);
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTY.equals(propertyName) ? url(setting("TWILIO_REGION"), setting("TWILIO_EDGE")) : null;
    }

    @Override
    public int getOrdinal() {
        // Below application.properties (250), environment variables (300) and system properties (400).
        return 50;
    }

    @Override
    public String getName() {
        return "voicegate-twilio-api-url";
    }
}
