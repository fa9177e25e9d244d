package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.inTurn;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.MediaWireMocks;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.twilio.limit.AccountLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * {@code GET|HEAD /v1/accounts/{sid}/recordings/{sid}/media}: the audio streamed from Twilio (WireMock) through the
 * service, with constant memory, ranges, redirects to a second host without credentials, envelopes before the first
 * byte, a closed connection after it, and the account's slot held exactly as long as the download.
 */
@QuarkusTest
@WithTestResource(MediaWireMocks.class)
class RecordingMediaTest {

    static final String AC = TestAccounts.ACCOUNT_SID;
    static final String TWILIO_RECORDINGS = "/2010-04-01/Accounts/" + AC + "/Recordings/";
    static final String RE = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    static final String BASIC = TestAccounts.basic(AC, TestAccounts.AUTH_TOKEN);
    static final String KEY = TestAccounts.bearer(TestAccounts.SERVICE_KEY);
    static final byte[] SMALL = "RIFF....WAVEfmt small test audio".getBytes();

    @InjectWireMock
    WireMockServer twilio;

    @MediaWireMocks.Storage
    WireMockServer storage;

    @Inject
    AccountLimiter limiter;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ServerSocket slowStorage;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
        storage.resetAll();
    }

    @AfterEach
    void nothingHeld() {
        if (slowStorage != null) {
            try {
                slowStorage.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> limiter.busyAccounts() == 0);
    }

    static String mediaPath(String recordingSid) {
        return "/v1/accounts/" + AC + "/recordings/" + recordingSid + "/media";
    }

    URI mediaUri(String recordingSid, String query) {
        return URI.create("http://127.0.0.1:" + port + mediaPath(recordingSid) + (query == null ? "" : "?" + query));
    }

    void stubSmall(String recordingSid, String extension) {
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + recordingSid + "." + extension))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", extension.equals("mp3") ? "audio/mpeg" : "audio/x-wav")
                        .withHeader("Content-Length", String.valueOf(SMALL.length))
                        .withHeader("Accept-Ranges", "bytes")
                        .withBody(SMALL)));
    }

    static ValidatableResponse envelope(ValidatableResponse response, int status, String category) {
        return response.statusCode(status).contentType("application/json")
                .body("success", equalTo(false)).body("error", startsWith(category + ": "));
    }

    /** Every outcome counted for the endpoint so far, for failure messages. */
    String outcomes() {
        return meters.find("voicegate.action.requests").tag("action", "recording_media").counters().stream()
                .map(c -> c.getId().getTag("outcome") + "=" + c.count()).sorted().toList().toString();
    }

    double outcomes(String outcome) {
        var counter = meters.find("voicegate.action.requests").tag("action", "recording_media").tag("surface", "rest")
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    // ------------------------------------------------------------------ streaming

    @Test
    void fiftyMegabytesStreamThroughWithConstantMemoryAndIdenticalBytes() throws Exception {
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "audio/x-wav")
                        .withHeader("Content-Length", String.valueOf(MediaWireMocks.BIG_SIZE))
                        .withHeader("Accept-Ranges", "bytes").withBodyFile(MediaWireMocks.BIG_FILE)));
        stubSmall(RE, "mp3");
        // Warm the path up first, so that the measurement sees the stream and not class loading or caches.
        double warmUps = outcomes("success");
        given().header("Authorization", KEY).queryParam("format", "mp3").get(mediaPath(RE)).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes("success") == warmUps + 1);
        double successes = warmUps + 1;

        long before = heapAfterGc();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(mediaUri(RE, null))
                .header("Authorization", KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(MediaWireMocks.BIG_SIZE), response.headers().firstValue("Content-Length").orElse(null));
        assertEquals("audio/x-wav", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("bytes", response.headers().firstValue("Accept-Ranges").orElse(null));
        assertEquals("attachment; filename=\"" + RE + ".wav\"",
                response.headers().firstValue("Content-Disposition").orElse(null));
        assertEquals(1, limiter.inFlight(AC), "the download holds its account's slot");

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long read = 0;
        long maxGrowth = 0;
        long nextCheck = 10L << 20;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = response.body()) {
            for (int n; (n = body.read(buffer)) > 0;) {
                sha256.update(buffer, 0, n);
                read += n;
                if (read >= nextCheck && read < MediaWireMocks.BIG_SIZE) {
                    // Mid-stream, after a full GC: anything the service or WireMock keeps of the body shows up here.
                    maxGrowth = Math.max(maxGrowth, heapAfterGc() - before);
                    nextCheck += 10L << 20;
                    assertEquals(1, limiter.inFlight(AC), "the slot is held until the last byte");
                }
            }
        }
        assertEquals(MediaWireMocks.BIG_SIZE, read);
        assertEquals(MediaWireMocks.bigFileSha256(), HexFormat.of().formatHex(sha256.digest()), "identical bytes");
        // 50 MB pass through; a service that kept the body would grow by tens of MB. The bound leaves room for what
        // a busy JVM's full GC does not return at once (16 MB: 11.5 MB was seen once on a loaded CI machine).
        assertTrue(maxGrowth < 16L << 20, "heap grew by " + (maxGrowth >> 10) + " KiB while streaming 50 MB");
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight(AC) == 0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(successes + 1, outcomes("success"),
                outcomes()));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav"))
                .withHeader("Authorization", WireMock.equalTo(BASIC)));
    }

    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void mp3WithTwoChannelsAsksTwilioForThemAndAnAttachment() {
        stubSmall(RE, "mp3");
        byte[] body = given().header("Authorization", KEY).queryParam("format", "mp3").queryParam("channels", "2")
                .get(mediaPath(RE)).then().statusCode(200)
                .header("Content-Type", "audio/mpeg")
                .header("Content-Length", String.valueOf(SMALL.length))
                .header("Content-Disposition", "attachment; filename=\"" + RE + ".mp3\"")
                .extract().asByteArray();
        assertArrayEquals(SMALL, body);
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".mp3"))
                .withQueryParam("RequestedChannels", WireMock.equalTo("2"))
                .withHeader("Authorization", WireMock.equalTo(BASIC)));
    }

    @Test
    void withoutChannelsNoRequestedChannelsIsSent() {
        stubSmall(RE, "wav");
        given().header("Authorization", KEY).get(mediaPath(RE)).then().statusCode(200);
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav"))
                .withoutQueryParam("RequestedChannels"));
    }

    @Test
    void aRangeIsPassedToTwilioAndAnswered206WithContentRange() {
        byte[] part = new byte[100];
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav")).withHeader("Range", WireMock.equalTo("bytes=100-199"))
                .willReturn(aResponse().withStatus(206).withHeader("Content-Type", "audio/x-wav")
                        .withHeader("Content-Range", "bytes 100-199/52428800").withHeader("Accept-Ranges", "bytes")
                        .withHeader("Content-Length", "100").withBody(part)));

        byte[] body = given().header("Authorization", KEY).header("Range", "bytes=100-199").get(mediaPath(RE))
                .then().statusCode(206)
                .header("Content-Range", "bytes 100-199/52428800")
                .header("Content-Length", "100")
                .header("Accept-Ranges", "bytes")
                .extract().asByteArray();
        assertEquals(100, body.length);
    }

    @Test
    void headAnswersTheHeadersWithoutABodyAndFreesTheSlot() throws Exception {
        stubSmall(RE, "wav");
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(mediaUri(RE, null))
                .header("Authorization", KEY).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("audio/x-wav", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals(String.valueOf(SMALL.length), response.headers().firstValue("Content-Length").orElse(null));
        assertEquals("attachment; filename=\"" + RE + ".wav\"",
                response.headers().firstValue("Content-Disposition").orElse(null));
        assertEquals(0, response.body().length);
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight(AC) == 0);
    }

    // ------------------------------------------------------------------ redirects

    @Test
    void aRedirectToAnotherHostArrivesWithoutAuthorization() {
        String bucket = "/bucket/" + RE + ".mp3";
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".mp3")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://localhost:" + storage.port() + bucket + "?X-Amz-Signature=abc")));
        storage.stubFor(get(urlPathEqualTo(bucket)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "audio/mpeg").withHeader("Content-Length", String.valueOf(SMALL.length))
                .withBody(SMALL)));

        byte[] body = given().header("Authorization", KEY).queryParam("format", "mp3").get(mediaPath(RE))
                .then().statusCode(200).header("Content-Type", "audio/mpeg").extract().asByteArray();

        assertArrayEquals(SMALL, body);
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".mp3"))
                .withHeader("Authorization", WireMock.equalTo(BASIC)));
        storage.verify(1, getRequestedFor(urlPathEqualTo(bucket))
                .withQueryParam("X-Amz-Signature", WireMock.equalTo("abc")).withoutHeader("Authorization"));
    }

    @Test
    void aRedirectOnTwilioItselfKeepsAuthorization() {
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "/moved/" + RE + ".wav")));
        twilio.stubFor(get(urlPathEqualTo("/moved/" + RE + ".wav")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "audio/x-wav").withBody(SMALL)));

        given().header("Authorization", KEY).get(mediaPath(RE)).then().statusCode(200);

        twilio.verify(1, getRequestedFor(urlPathEqualTo("/moved/" + RE + ".wav"))
                .withHeader("Authorization", WireMock.equalTo(BASIC)));
    }

    @Test
    void moreThanThreeRedirectsAreRefusedWithoutRetrying() {
        for (int hop = 0; hop < 4; hop++) {
            String from = hop == 0 ? TWILIO_RECORDINGS + RE + ".wav" : "/hop" + hop;
            twilio.stubFor(get(urlPathEqualTo(from)).willReturn(aResponse().withStatus(301)
                    .withHeader("Location", "/hop" + (hop + 1))));
        }

        envelope(given().header("Authorization", KEY).get(mediaPath(RE)).then(), 502, "upstream_unavailable");
        twilio.verify(4, anyRequestedFor(anyUrl()));
    }

    // ------------------------------------------------------------------ failures before the first byte

    @Test
    void anUnknownRecordingIs404NotFound() {
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav")).willReturn(fixture(404, "error-20404.json")));
        double before = outcomes("not_found");

        envelope(given().header("Authorization", KEY).get(mediaPath(RE)).then(), 404, "not_found")
                .body("error", startsWith("not_found: Twilio has no recording with that SID in this account "
                        + "(Twilio error 20404 (HTTP 404)"));

        twilio.verify(1, anyRequestedFor(anyUrl()));
        assertEquals(before + 1, outcomes("not_found"));

        // An audio player asks for audio; a failure is still the JSON envelope.
        envelope(given().header("Authorization", KEY).accept("audio/mpeg").queryParam("format", "mp3")
                .get(mediaPath(RE)).then(), 404, "not_found");
    }

    @Test
    void aServerErrorBeforeTheFirstByteIsRetried() {
        String path = TWILIO_RECORDINGS + RE + ".wav";
        inTurn(twilio, () -> get(urlPathEqualTo(path)), aResponse().withStatus(503),
                aResponse().withStatus(200).withHeader("Content-Type", "audio/x-wav").withBody(SMALL));

        assertArrayEquals(SMALL, given().header("Authorization", KEY).get(mediaPath(RE)).then().statusCode(200)
                .extract().asByteArray());
        twilio.verify(2, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void headersSlowerThanTheTimeoutAre504AndFreeTheSlot() {
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(Integer.parseInt(MediaWireMocks.MEDIA_TIMEOUT_MS) + 500).withBody(SMALL)));

        envelope(given().header("Authorization", KEY).get(mediaPath(RE)).then(), 504, "timeout");
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight(AC) == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = { "format=ogg", "channels=3", "channels=two", "channels=1&channels=2", "foo=bar",
            "format=wav&format=mp3" })
    void badQueryParametersAre400AndSendNothing(String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mediaUri(RE, query))
                .header("Authorization", KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"success\":false,\"error\":\"invalid_request: "), response.body());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void badSidsAndRangesAre400AndSendNothing() {
        envelope(given().header("Authorization", KEY).get(mediaPath("RE123")).then(), 400, "invalid_request")
                .body("error", startsWith("invalid_request: 'recording_sid' must be a Recording SID"));
        envelope(given().header("Authorization", KEY).get("/v1/accounts/AC123/recordings/" + RE + "/media").then(),
                400, "invalid_request").body("error", startsWith("invalid_request: 'account_sid'"));
        for (String range : new String[] { "bytes=0-1,5-9", "lines=1-2", "bytes=9-1", "bytes=" }) {
            envelope(given().header("Authorization", KEY).header("Range", range).get(mediaPath(RE)).then(),
                    400, "invalid_request").body("error", startsWith("invalid_request: the Range header"));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void accessIsCheckedAsForTheOtherEndpoints() {
        envelope(given().get(mediaPath(RE)).then(), 401, "unauthorized").header("WWW-Authenticate", startsWith("Bearer"));
        envelope(given().header("Authorization", KEY)
                .get("/v1/accounts/" + TestAccounts.OTHER_ACCOUNT_SID + "/recordings/" + RE + "/media").then(),
                403, "forbidden");
        envelope(given().header("Authorization", TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID,
                TestAccounts.PASS_THROUGH_AUTH_TOKEN)).get(mediaPath(RE)).then(), 403, "forbidden");
        twilio.verify(0, anyRequestedFor(anyUrl()));

        stubSmall(RE, "wav");
        given().header("Authorization", TestAccounts.basic(AC, "callers-own-token")).get(mediaPath(RE))
                .then().statusCode(200);
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav"))
                .withHeader("Authorization", WireMock.equalTo(TestAccounts.basic(AC, "callers-own-token"))));
    }

    @Test
    void theMediaPathDoesNotShadowGetRecording() {
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".json")).willReturn(fixture(404, "error-20404.json")));
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + "/Transcriptions.json")).willReturn(
                fixture(200, "transcriptions-empty.json")));

        envelope(given().header("Authorization", KEY).get("/v1/accounts/" + AC + "/recordings/" + RE).then(), 404,
                "not_found").body("recording_sid", equalTo(null));
        twilio.verify(1, getRequestedFor(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".json")));
    }

    @Test
    void openApiDescribesTheEndpointAsAudio() throws Exception {
        JsonNode openapi = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        JsonNode path = openapi.at("/paths/~1v1~1accounts~1{account_sid}~1recordings~1{recording_sid}~1media");
        assertTrue(path.has("get") && path.has("head"), path.toString());
        assertEquals("binary", path.at("/get/responses/200/content/audio~1x-wav/schema/format").asText(), path.toString());
        assertEquals("binary", path.at("/get/responses/200/content/audio~1mpeg/schema/format").asText());
        Set<String> security = new HashSet<>();
        path.at("/get/security").forEach(requirement -> requirement.fieldNames().forEachRemaining(security::add));
        assertEquals(Set.of("serviceKey", "twilioBasic"), security);
        JsonNode schemas = openapi.at("/components/schemas");
        for (String internal : List.of("MediaDownload", "RoutingContext", "HttpServerResponse")) {
            assertFalse(schemas.has(internal), internal + " in " + schemas);
        }
        if (schemas.has("MediaStream")) {
            assertEquals("string", schemas.at("/MediaStream/type").asText(), "the body is bytes: " + schemas);
        }
    }

    // ------------------------------------------------------------------ after the first byte

    /**
     * A storage host on a raw socket: answers one request with {@code declared} as Content-Length, sends {@code length}
     * bytes slowly, then hangs up (a body cut short when {@code length < declared}); notes when its peer hangs up first.
     */
    String startSlowStorage(long declared, long length, CountDownLatch peerClosed) throws IOException {
        slowStorage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            try (Socket socket = slowStorage.accept()) {
                InputStream in = socket.getInputStream();
                for (int matched = 0; matched < 4;) { // the request head ends with CRLF CRLF
                    int c = in.read();
                    matched = c == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : 0;
                }
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: audio/x-wav\r\nContent-Length: " + declared + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < length; sent += chunk.length) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(2);
                }
            } catch (IOException e) {
                peerClosed.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "slow-storage");
        server.setDaemon(true);
        server.start();
        return "http://127.0.0.1:" + slowStorage.getLocalPort() + "/slow";
    }

    @Test
    void aCallerThatAbortsCancelsTheDownloadFromTwilioAndFreesTheSlot() throws Exception {
        CountDownLatch upstreamClosed = new CountDownLatch(1);
        String slow = startSlowStorage(1L << 30, 1L << 30, upstreamClosed);
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", slow)));
        double aborted = outcomes("aborted");

        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(mediaUri(RE, null))
                .header("Authorization", KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream body = response.body()) {
            body.readNBytes(256 * 1024);
            assertEquals(1, limiter.inFlight(AC));
        } // closing before the end aborts the download

        assertTrue(upstreamClosed.await(10, TimeUnit.SECONDS), "the service hung up on the storage host");
        // Conditions with room for a busy machine: the abort reaches the metric after the connection is torn down.
        await().atMost(Duration.ofSeconds(20)).until(() -> limiter.inFlight(AC) == 0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(aborted + 1, outcomes("aborted"),
                outcomes()));
    }

    @Test
    void aFailureAfterTheFirstByteClosesTheConnectionAndIsNotRetried() throws Exception {
        String slow = startSlowStorage(1L << 20, 256 * 1024, new CountDownLatch(1));
        twilio.stubFor(get(urlPathEqualTo(TWILIO_RECORDINGS + RE + ".wav")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", slow)));
        double failed = outcomes("upstream_unavailable");

        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(mediaUri(RE, null))
                .header("Authorization", KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(1L << 20), response.headers().firstValue("Content-Length").orElse(null));
        try (InputStream body = response.body()) {
            assertThrows(IOException.class, body::readAllBytes, "a cut body never looks complete");
        }

        twilio.verify(1, anyRequestedFor(anyUrl()));
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight(AC) == 0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(failed + 1,
                outcomes("upstream_unavailable"), outcomes()));
    }
}
