package dev.voicegate.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;

/**
 * SIGTERM on the packaged service with list_calls in flight, as tool calls and over MCP ({@code quarkus.shutdown.timeout},
 * set from {@code SHUTDOWN_TIMEOUT}). What is asserted: the in-flight requests finish normally; from SIGTERM on, a new
 * API request ({@code /v1} or {@code /mcp}) is refused with 503 and the envelope (api/ShutdownGate, during {@code SHUTDOWN_DELAY}) and
 * readiness is down; once every request has ended the server closes, new connections are refused, and the
 * process exits well within the timeout. Past the timeout it stops anyway and cuts what is still in flight.
 * A get_call waiting for a call to end, which may take longer than the timeout, answers at once instead.
 */
class GracefulShutdownIT {

    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    static final int IN_FLIGHT = 5;
    /** Of which over MCP. */
    static final int MCP_IN_FLIGHT = 2;
    static final int TWILIO_DELAY_MS = 2000;
    static final Path LOG = Path.of("target", "graceful-shutdown.log");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    WireMockServer twilio;
    Process app;
    int port;

    @BeforeEach
    void startTwilio() {
        twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        twilio.start();
        twilio.stubFor(get(urlPathMatching(ACCOUNT + "/Calls/CA[0-9a-f]{32}/Recordings\\.json"))
                .willReturn(fixture(200, "call-recordings.json")));
    }

    /** Twilio answers the call log after {@code delayMillis}; the packaged service runs with {@code SHUTDOWN_TIMEOUT}. */
    void start(int delayMillis, String shutdownTimeout, String... properties) throws IOException {
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(200, "calls-page.json").withFixedDelay(delayMillis)));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.rest-client.twilio.url=" + WireMockTwilio.baseUrl(twilio),
                "-Dvoicegate.twilio.account-sid=" + TestAccounts.ACCOUNT_SID,
                "-Dvoicegate.twilio.auth-token=" + TestAccounts.AUTH_TOKEN,
                "-Dvoicegate.access.service-api-keys=" + TestAccounts.SERVICE_KEY));
        command.addAll(List.of(properties));
        ProcessBuilder builder = new ProcessBuilder(PackagedApp.command(command))
                .redirectErrorStream(true).redirectOutput(LOG.toFile());
        builder.environment().put("SHUTDOWN_DELAY", "1s");
        if (shutdownTimeout != null) {
            builder.environment().put("SHUTDOWN_TIMEOUT", shutdownTimeout);
        }
        app = builder.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(this::ready);
    }

    /** Sends {@link #IN_FLIGHT} list_calls, the last ones over MCP, and returns once Twilio has received them all. */
    List<CompletableFuture<HttpResponse<String>>> inFlight() {
        List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, IN_FLIGHT)
                .mapToObj(i -> http.sendAsync(i < IN_FLIGHT - MCP_IN_FLIGHT ? listCalls() : mcpListCalls(),
                        HttpResponse.BodyHandlers.ofString())).toList();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> twilio.findAll(getRequestedFor(urlPathEqualTo(ACCOUNT + "/Calls.json"))).size() == IN_FLIGHT);
        assertTrue(inFlight.stream().noneMatch(CompletableFuture::isDone), "answered before SIGTERM");
        return inFlight;
    }

    @AfterEach
    void stop() {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
        }
        if (twilio != null) {
            twilio.stop();
        }
    }

    @Test
    void sigtermLetsInFlightRequestsFinishThenStops() throws Exception {
        start(TWILIO_DELAY_MS, null);
        List<CompletableFuture<HttpResponse<String>>> inFlight = inFlight();

        long sigterm = System.nanoTime();
        app.destroy(); // SIGTERM
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(LOG).contains("refusing new requests"));

        // Shutting down: a new request is refused with the envelope (nothing started), readiness is down.
        HttpResponse<String> late = http.send(listCalls(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, late.statusCode(), late.body());
        assertEquals("1", late.headers().firstValue("Retry-After").orElse(null));
        ContractSchemas.assertValidOutput("list_calls", late.body());
        assertTrue(late.body().startsWith("{\"success\":false,\"error\":\"upstream_unavailable: "), late.body());
        HttpResponse<String> lateMcp = http.send(mcpListCalls(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, lateMcp.statusCode(), lateMcp.body());
        assertEquals(late.body(), lateMcp.body());
        HttpResponse<Void> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(503, readiness.statusCode(), "readiness is down while shutting down");

        for (CompletableFuture<HttpResponse<String>> request : inFlight) {
            HttpResponse<String> response = request.get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            if (response.request().uri().getPath().equals("/mcp")) {
                assertTrue(response.body().contains("\"isError\":false") && response.body().contains("\"success\":true"),
                        response.body());
            } else {
                ContractSchemas.assertValidOutput("list_calls", response.body());
                assertTrue(response.body().contains("\"success\":true"), response.body());
            }
        }

        assertTrue(app.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "still running after the timeout");
        long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;
        System.out.println("graceful shutdown: exited " + exitMillis + " ms after SIGTERM with status " + app.exitValue());
        assertTrue(Files.readString(LOG).contains("All HTTP requests complete"), "did not drain");
        assertThrows(ConnectException.class, () -> http.send(listCalls(), HttpResponse.BodyHandlers.ofString()));
        assertFalse(app.isAlive());
    }

    /** Past {@code SHUTDOWN_TIMEOUT} Quarkus stops anyway: requests still waiting on Twilio lose their connection. */
    @Test
    void shutdownTimeoutBoundsTheWait() throws Exception {
        start(10_000, "1s");
        List<CompletableFuture<HttpResponse<String>>> inFlight = inFlight();

        long sigterm = System.nanoTime();
        app.destroy();
        assertTrue(app.waitFor(8, TimeUnit.SECONDS), "SHUTDOWN_TIMEOUT=1s did not bound the shutdown");
        System.out.println("bounded shutdown: exited " + (System.nanoTime() - sigterm) / 1_000_000
                + " ms after SIGTERM with status " + app.exitValue());
        for (CompletableFuture<HttpResponse<String>> request : inFlight) {
            ExecutionException cut = assertThrows(ExecutionException.class, () -> request.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, cut.getCause());
        }
    }

    /** A get_call waiting for a call to end (pauses of 30 s here) answers at once on SIGTERM, then the process exits. */
    @Test
    void sigtermAnswersAWaitingGetCallAtOnce() throws Exception {
        String call = ACCOUNT + "/Calls/CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1.json";
        twilio.stubFor(get(urlPathEqualTo(call)).willReturn(json(Fixtures.read("call.json").replace("\"status\": \"completed\"", "\"status\": \"ringing\""))));
        start(0, null, "-Dvoicegate.get-call.first-poll=30s", "-Dvoicegate.get-call.max-poll=30s");
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/accounts/" + TestAccounts.ACCOUNT_SID
                                + "/calls/CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1?wait_seconds=60"))
                .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).timeout(Duration.ofSeconds(70))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> twilio.findAll(getRequestedFor(urlPathEqualTo(call))).size() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());

        long sigterm = System.nanoTime();
        app.destroy();
        HttpResponse<String> answer = waiting.get(10, TimeUnit.SECONDS);
        long answeredMillis = (System.nanoTime() - sigterm) / 1_000_000;
        System.out.println("waiting get_call: answered " + answeredMillis + " ms after SIGTERM");

        assertEquals(200, answer.statusCode(), answer.body());
        ContractSchemas.assertValidOutput("get_call", answer.body());
        assertTrue(answer.body().contains("\"status\":\"ringing\",\"final\":false"), answer.body());
        assertTrue(answeredMillis < 5_000, "answered " + answeredMillis + " ms after SIGTERM, not after the wait");
        assertEquals(1, twilio.findAll(getRequestedFor(urlPathEqualTo(call))).size(), "no fetch after SIGTERM");
        assertTrue(app.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "still running after the timeout");
    }

    private HttpRequest listCalls() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/actions/list_calls"))
                .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"}"))
                .build();
    }

    /** list_calls as an MCP tools/call, without a session (any replica answers it). */
    private HttpRequest mcpListCalls() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"list_calls\",\"arguments\":{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID
                        + "\"}}}"))
                .build();
    }

    private boolean ready() {
        try {
            HttpClient probe = HttpClient.newHttpClient(); // its own pool: no idle connection is left in http's
            return probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
