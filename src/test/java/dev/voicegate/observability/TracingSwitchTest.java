package dev.voicegate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingSwitchTest {

    static final String ENDPOINT_PROPERTY = "otel.exporter.otlp.endpoint";

    @AfterEach
    void clear() {
        System.clearProperty(ENDPOINT_PROPERTY);
    }

    @Test
    void tracingIsOffWithoutAnEndpointAndOnWithOne() {
        TracingSwitch source = new TracingSwitch();
        assertEquals("true", source.getValue(TracingSwitch.SDK_DISABLED));
        System.setProperty(ENDPOINT_PROPERTY, "http://collector:4317");
        assertEquals("false", source.getValue(TracingSwitch.SDK_DISABLED));
        assertNull(source.getValue("quarkus.http.port"), "it answers for one property only");
    }

    @Test
    void explicitSettingsWin() {
        // Environment variables (300) and application.properties (250) outrank this source.
        assertEquals(50, new TracingSwitch().getOrdinal());
    }
}
