package dev.voicegate.observability;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is configured: this low-priority source derives
 * {@code quarkus.otel.sdk.disabled} from whether one is set, so no exporter keeps failing against a
 * collector that is not there. An explicit {@code OTEL_SDK_DISABLED}/{@code QUARKUS_OTEL_SDK_DISABLED} wins.
 */
public class TracingSwitch implements ConfigSource {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    private static final String[] ENDPOINTS = { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" };

    @Override
    public Map<String, String> getProperties() {
        return Map.of(SDK_DISABLED, getValue(SDK_DISABLED));
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(SDK_DISABLED);
    }

    @Override
    public String getValue(String propertyName) {
        if (!SDK_DISABLED.equals(propertyName)) {
            return null;
        }
        return Boolean.toString(!endpointConfigured());
    }

    static boolean endpointConfigured() {
        for (String name : ENDPOINTS) {
            String property = name.toLowerCase().replace('_', '.');
            if (present(System.getenv(name)) || present(System.getProperty(property))) {
                return true;
            }
        }
        return false;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public int getOrdinal() {
        // Below application.properties (250), system properties (400) and environment variables (300).
        return 50;
    }

    @Override
    public String getName() {
        return "voicegate-tracing-switch";
    }
}
