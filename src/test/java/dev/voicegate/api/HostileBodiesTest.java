package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.McpClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Hostile input, whole bodies: not one JSON object of parameters, not JSON, or around the size limit. */
@QuarkusTest
class HostileBodiesTest extends HostileInputSuite {

    static Stream<Arguments> corpus() {
        List<Case> cases = new ArrayList<>();
        for (ActionSpec action : ACTIONS) {
            bodyCases(action, cases);
        }
        return arguments(cases);
    }

    /**
     * Each kind of body just over and just under the limit, chunked or (multipart) with a Content-Length, on the tool
     * call, on POST /v1/accounts/{sid}/calls and on the MCP endpoint.
     */
    static Stream<Arguments> bodiesAroundTheLimit() {
        List<Arguments> cases = new ArrayList<>();
        for (int size : List.of(LIMIT + 1, LIMIT + 4000, LIMIT - 100)) {
            boolean over = size > LIMIT;
            for (RawBody body : bodies(json(size), size)) {
                boolean isJson = body.contentType().equals("application/json");
                // Under the limit the usual answers: the JSON is read whole, past RESTEasy's 10 KiB default input buffer
                // (quarkus#48777), and its twiml is too long; anything else is not JSON.
                String mentions = over ? "larger than 64 KiB" : isJson ? "'twiml'" : "application/json";
                cases.add(Arguments.of(body.name() + " of " + size + " bytes, tool call", "/v1/actions/make_call", body,
                        over ? 413 : 200, mentions));
                cases.add(Arguments.of(body.name() + " of " + size + " bytes, POST calls", "/v1/accounts/" + ACCOUNT
                        + "/calls", body, over ? 413 : isJson ? 400 : 415, mentions));
            }
            // MCP: under the limit the server has the whole body (a tools/call whose twiml is too long) and answers in
            // JSON-RPC; anything else is not JSON (parse error).
            for (RawBody body : bodies(mcpJson(size), size)) {
                boolean isJson = body.contentType().equals("application/json");
                String mentions = over ? "larger than 64 KiB" : isJson ? "'twiml' must be at most" : "\"code\":-32700";
                cases.add(Arguments.of(body.name() + " of " + size + " bytes, MCP", "/mcp", body,
                        over ? 413 : isJson ? 200 : 400, mentions));
            }
        }
        return cases.stream();
    }

    /**
     * Over the limit the envelope with 413, whatever the endpoint, the body's type or framing; under it, the usual
     * answer: the envelope on /v1, JSON-RPC on /mcp.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesAroundTheLimit")
    void bodySizeLimitAnswersWithTheEnvelope(String name, String path, RawBody body, int status, String mentions)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.BodyPublisher publisher = body.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.bytes()))
                : HttpRequest.BodyPublishers.ofByteArray(body.bytes());
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("Authorization", SERVICE_KEY).header("Content-Type", body.contentType())
                .header("Accept", McpClients.ACCEPT)
                .timeout(Duration.ofSeconds(30)).POST(publisher).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        String seen = name + " -> HTTP " + response.statusCode() + " " + response.headers().map() + " "
                + abbreviate(response.body(), 400);
        assertEquals(status, response.statusCode(), seen);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0], seen);
        assertTrue(response.body().contains(mentions), "should mention " + mentions + ": " + seen);
        if (path.equals("/mcp") && status != 413) {
            assertTrue(response.body().startsWith("{\"jsonrpc\":\"2.0\""), seen);
        } else {
            assertTrue(response.body().startsWith("{\"success\":false,\"error\":\"invalid_request: "), seen);
            ContractSchemas.assertValidOutput("make_call", response.body());
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    static final int LIMIT = 64 * 1024;

    /** A body sent by the JDK client: chunked (no Content-Length) or with its length declared. */
    record RawBody(String name, String contentType, byte[] bytes, boolean chunked) {
    }

    static List<RawBody> bodies(byte[] json, int size) {
        return List.of(
                new RawBody("chunked JSON", "application/json", json, true),
                new RawBody("chunked form", "application/x-www-form-urlencoded", form(size), true),
                new RawBody("chunked multipart", "multipart/form-data; boundary=" + BOUNDARY, multipart(size), true),
                new RawBody("multipart", "multipart/form-data; boundary=" + BOUNDARY, multipart(size), false));
    }

    static final String BOUNDARY = "voicegate-test-boundary";

    /** A make_call body of exactly {@code size} bytes: its twiml pads it. */
    static byte[] json(int size) {
        int frame = body(MAKE_CALL, "twiml", quote("")).length();
        return body(MAKE_CALL, "twiml", quote("a".repeat(size - frame))).getBytes(StandardCharsets.UTF_8);
    }

    /** An MCP tools/call of make_call of exactly {@code size} bytes: its twiml pads it. */
    static byte[] mcpJson(int size) {
        int frame = McpClients.toolsCall(1, "make_call", body(MAKE_CALL, "twiml", quote(""))).length();
        return McpClients.toolsCall(1, "make_call", body(MAKE_CALL, "twiml", quote("a".repeat(size - frame))))
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] form(int size) {
        return ("to=" + "1".repeat(size - 3)).getBytes(StandardCharsets.UTF_8);
    }

    /** A multipart form of exactly {@code size} bytes: one file part holding JSON parameters, padded. */
    static byte[] multipart(int size) {
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"params\"; filename=\"p.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n";
        String tail = "\r\n--" + BOUNDARY + "--\r\n";
        return (head + " ".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }
}
