package dev.voicegate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With tracing on: a server span per request, a client span per Twilio request, traceparent sent to Twilio. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // As when OTEL_EXPORTER_OTLP_ENDPOINT is set; spans go to the in-memory exporter.
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.traces.exporter", "cdi",
                    "quarkus.otel.bsp.schedule.delay", "PT0.05S");
        }
    }

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aToolCallAndItsTwilioRequestShareOneTrace() {
        TwilioStubs.reset(twilio);
        spans.reset();
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));

        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"include_recordings\":false}")
                .post("/v1/actions/list_calls").then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().size() >= 2);
        List<SpanData> finished = spans.getFinishedSpanItems();
        SpanData server = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        SpanData client = finished.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        assertEquals(server.getTraceId(), client.getTraceId(), "one trace: " + finished);
        assertTrue(server.getName().contains("/v1/actions/{action}"), server.getName());
        // Twilio receives the W3C context of the client span.
        twilio.verify(getRequestedFor(urlPathEqualTo(CALLS)).withHeader("traceparent",
                matching("00-" + client.getTraceId() + "-" + client.getSpanId() + "-0[0-9a-f]")));
    }

    @Test
    void anMcpToolCallAndItsTwilioRequestShareOneTrace() {
        TwilioStubs.reset(twilio);
        spans.reset();
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(fixture(200, "calls-page-last.json")));

        McpClients.post(McpClients.toolsCall(1, "list_calls", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID
                + "\",\"include_recordings\":false}")).then().statusCode(200).body("result.isError", equalTo(false));

        await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().size() >= 2);
        List<SpanData> finished = spans.getFinishedSpanItems();
        SpanData server = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        SpanData client = finished.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        assertEquals(server.getTraceId(), client.getTraceId(), "one trace: " + finished);
        assertTrue(server.getName().contains("/mcp"), server.getName());
        twilio.verify(getRequestedFor(urlPathEqualTo(CALLS)).withHeader("traceparent",
                matching("00-" + client.getTraceId() + "-" + client.getSpanId() + "-0[0-9a-f]")));
    }
}
