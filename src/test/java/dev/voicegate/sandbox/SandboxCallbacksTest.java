package dev.voicegate.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.voicegate.testing.LogCapture;
import dev.voicegate.twilio.TwilioSignature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/**
 * The sandbox's status and recording callbacks, received by a WireMock on loopback: for calls created on the
 * sandbox's Twilio endpoint and through Voicegate's make_call. The test moves the sandbox's clock; the callbacks
 * follow on the sandbox's next tick, and the test waits for them to arrive.
 */
@QuarkusTest
@TestProfile(SandboxEndToEndTest.RunCommandProfile.class)
class SandboxCallbacksTest {

    static final String ACCOUNT = SandboxRoutesTest.ACCOUNT;
    static final String TOKEN = SandboxRoutesTest.TOKEN;
    static final String FORM = "application/x-www-form-urlencoded";

    static WireMockServer target;
    /** Every request the target received, in the order it arrived. */
    static final List<Request> arrived = new ArrayList<>();

    @Inject
    SandboxStore store;

    private final SandboxStoreTest.MutableClock clock = new SandboxStoreTest.MutableClock(SandboxStoreTest.T0);

    @BeforeAll
    static void startTarget() {
        target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").notifier(new Slf4jNotifier(false)));
        target.start();
        target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        target.addMockServiceRequestListener((request, response) -> {
            synchronized (arrived) {
                // A copy: the server recycles its request once answered.
                arrived.add(LoggedRequest.createFrom(request));
            }
        });
    }

    @AfterAll
    static void stopTarget() {
        target.stop();
    }

    @BeforeEach
    void useTestClock() {
        store.setClock(clock);
    }

    @AfterEach
    void useRealClock() {
        store.setClock(Clock.systemUTC());
    }

    @Test
    void sendsEachRequestedEventAsTheCallProgressesSignedForItsUrl() {
        String progress = url("127.0.0.1", "/progress?run=1");
        String recording = url("localhost", "/recording");
        String sid = twilio().formParam("StatusCallback", progress)
                .formParam("StatusCallbackEvent", "initiated", "ringing", "answered", "completed")
                .formParam("Record", "true").formParam("RecordingStatusCallback", recording)
                .post(SandboxRoutesTest.BASE + "/Calls.json").then().statusCode(201).extract().path("sid");

        awaitCount("/progress", 1);
        clock.advance(Duration.ofSeconds(1));
        awaitCount("/progress", 2);
        clock.advance(Duration.ofSeconds(1));
        awaitCount("/progress", 3);
        clock.advance(Duration.ofSeconds(3));
        awaitCount("/recording", 1);
        List<Request> events = awaitCount("/progress", 4);

        List<Map<String, String>> fields = events.stream().map(SandboxCallbacksTest::form).toList();
        assertEquals(List.of("initiated", "ringing", "in-progress", "completed"),
                fields.stream().map(f -> f.get("CallStatus")).toList());
        assertEquals(List.of("0", "1", "2", "3"), fields.stream().map(f -> f.get("SequenceNumber")).toList());
        assertEquals(List.of("Sat, 15 Jun 2030 12:00:00 +0000", "Sat, 15 Jun 2030 12:00:01 +0000",
                "Sat, 15 Jun 2030 12:00:02 +0000", "Sat, 15 Jun 2030 12:00:05 +0000"),
                fields.stream().map(f -> f.get("Timestamp")).toList());
        for (int i = 0; i < events.size(); i++) {
            Map<String, String> f = fields.get(i);
            assertEquals(sid, f.get("CallSid"));
            assertEquals(ACCOUNT, f.get("AccountSid"));
            assertEquals("+14155550150", f.get("To"));
            assertEquals("+15005550006", f.get("From"));
            assertEquals("2010-04-01", f.get("ApiVersion"));
            assertEquals("outbound-api", f.get("Direction"));
            assertEquals("call-progress-events", f.get("CallbackSource"));
            assertEquals("POST", events.get(i).getMethod().getName());
            assertTrue(events.get(i).contentTypeHeader().mimeTypePart().equals(FORM));
            assertSigned(progress, events.get(i), f);
            assertEquals(i < 3, !f.containsKey("CallDuration"), "only completed has a duration: " + f);
        }
        assertFalse(TwilioSignature.matches(events.get(0).getHeader(TwilioSignature.HEADER), TOKEN,
                url("127.0.0.1", "/progress"), lists(fields.get(0))), "signed for the URL with its query");

        Map<String, String> completed = fields.get(3);
        assertEquals("3", completed.get("CallDuration"));
        assertEquals("1", completed.get("Duration"));
        assertEquals("200", completed.get("SipResponseCode"));
        assertEquals("3", completed.get("RecordingDuration"));
        String recordingSid = completed.get("RecordingSid");
        assertTrue(recordingSid.startsWith("RE"), completed.toString());
        String mediaUrl = completed.get("RecordingUrl");
        assertTrue(mediaUrl.matches("http://localhost:\\d+/sandbox/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/"
                + recordingSid), mediaUrl);
        auth().get(mediaUrl.replaceFirst("http://localhost:\\d+", "") + ".wav").then().statusCode(200);

        Request recorded = received("/recording").get(0);
        Map<String, String> r = form(recorded);
        assertEquals(Map.ofEntries(Map.entry("AccountSid", ACCOUNT), Map.entry("CallSid", sid),
                Map.entry("RecordingSid", recordingSid), Map.entry("RecordingUrl", mediaUrl),
                Map.entry("RecordingStatus", "completed"), Map.entry("RecordingDuration", "3"),
                Map.entry("RecordingChannels", "1"), Map.entry("RecordingStartTime", "Sat, 15 Jun 2030 12:00:02 +0000"),
                Map.entry("RecordingSource", "OutboundAPI"), Map.entry("RecordingTrack", "both"),
                Map.entry("ErrorCode", "0")), r);
        assertSigned(recording, recorded, r);

        List<Request> all = new ArrayList<>(events);
        all.add(recorded);
        Set<String> tokens = all.stream().map(e -> e.getHeader("I-Twilio-Idempotency-Token")).collect(Collectors.toSet());
        assertEquals(5, tokens.size(), "one token per event: " + tokens);
    }

    @Test
    void aCallHungUpInProgressSendsItsCompletedEventAtTheHangUpAndNothingAfter() {
        String progress = url("127.0.0.1", "/hung-up/progress");
        String sid = twilio().formParam("StatusCallback", progress)
                .formParam("StatusCallbackEvent", "initiated", "ringing", "answered", "completed")
                .formParam("Record", "true").formParam("RecordingStatusCallback", url("127.0.0.1", "/hung-up/recording"))
                .post(SandboxRoutesTest.BASE + "/Calls.json").then().statusCode(201).extract().path("sid");
        clock.advance(Duration.ofSeconds(3));
        awaitCount("/hung-up/progress", 3);

        auth().formParam("Status", "completed").post(SandboxRoutesTest.BASE + "/Calls/" + sid + ".json")
                .then().statusCode(200);

        Map<String, String> completed = form(awaitCount("/hung-up/progress", 4).get(3));
        assertEquals("completed", completed.get("CallStatus"));
        assertEquals("3", completed.get("SequenceNumber"));
        assertEquals("Sat, 15 Jun 2030 12:00:03 +0000", completed.get("Timestamp"));
        assertEquals("1", completed.get("CallDuration"));
        assertEquals("1", completed.get("RecordingDuration"));
        assertEquals("1", form(awaitCount("/hung-up/recording", 1).get(0)).get("RecordingDuration"));
        clock.advance(Duration.ofSeconds(5));
        String control = controlCall("/hung-up-control");
        clock.advance(Duration.ofSeconds(6));
        awaitCount(control, 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> received("/hung-up/").size() == 5);
    }

    @Test
    void aRingingCallHungUpEndsCanceledWithoutAnAnswer() {
        String progress = url("127.0.0.1", "/canceled/progress");
        String sid = twilio().formParam("StatusCallback", progress)
                .formParam("StatusCallbackEvent", "initiated", "ringing", "answered", "completed")
                .post(SandboxRoutesTest.BASE + "/Calls.json").then().statusCode(201).extract().path("sid");
        clock.advance(Duration.ofMillis(1500));
        awaitCount("/canceled/progress", 2);

        auth().formParam("Status", "canceled").post(SandboxRoutesTest.BASE + "/Calls/" + sid + ".json")
                .then().statusCode(200);

        List<Map<String, String>> fields = awaitCount("/canceled/progress", 3).stream()
                .map(SandboxCallbacksTest::form).toList();
        assertEquals(List.of("initiated", "ringing", "canceled"), fields.stream().map(f -> f.get("CallStatus")).toList());
        assertEquals("0", fields.get(2).get("CallDuration"));
        assertEquals("487", fields.get(2).get("SipResponseCode"));
        assertEquals("2", fields.get(2).get("SequenceNumber"));
        clock.advance(Duration.ofSeconds(6));
        String control = controlCall("/canceled-control");
        clock.advance(Duration.ofSeconds(6));
        awaitCount(control, 1);
        assertEquals(3, received("/canceled/").size());
    }

    @Test
    void withoutEventsOnlyTheEndIsSentAndAGetCarriesItsFieldsInTheQuery() {
        String busy = url("127.0.0.1", "/busy?a=b");
        twilio("+15005550005").formParam("StatusCallback", busy)
                .formParam("StatusCallbackMethod", "GET")
                .post(SandboxRoutesTest.BASE + "/Calls.json").then().statusCode(201);
        clock.advance(Duration.ofSeconds(6));

        Request request = awaitCount("/busy", 1).get(0);
        assertEquals("GET", request.getMethod().getName());
        Map<String, String> q = query(request.getUrl());
        assertEquals("b", q.get("a"));
        assertEquals("busy", q.get("CallStatus"));
        assertEquals("486", q.get("SipResponseCode"));
        assertEquals("0", q.get("CallDuration"));
        assertNull(q.get("SequenceNumber"), "no StatusCallbackEvent: no sequence (TWILIO.md section 9)");
        assertTrue(TwilioSignature.matches(request.getHeader(TwilioSignature.HEADER), TOKEN,
                "http://127.0.0.1:" + target.port() + request.getUrl(), Map.of()));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> received("/busy").size() == 1);
    }

    @Test
    void aCallPlacedThroughVoicegateGetsItsCompletedAndRecordingCallbacks() {
        String status = url("127.0.0.1", "/voicegate/status");
        String recording = url("127.0.0.1", "/voicegate/recording");
        String sid = SandboxEndToEndTest.placeCall("+14155550151", ",\"record\":true,\"status_callback\":\"" + status
                + "\",\"recording_status_callback\":\"" + recording + "\"");
        clock.advance(Duration.ofSeconds(6));

        Request done = awaitCount("/voicegate/status", 1).get(0);
        Map<String, String> f = form(done);
        assertEquals(sid, f.get("CallSid"));
        assertEquals("completed", f.get("CallStatus"));
        assertSigned(status, done, f);
        Request recorded = awaitCount("/voicegate/recording", 1).get(0);
        assertEquals(f.get("RecordingSid"), form(recorded).get("RecordingSid"));
        assertSigned(recording, recorded, form(recorded));
    }

    @Test
    void sendsNothingOffLoopback() throws IOException {
        // Linux connects 0.0.0.0 to this host: were the unspecified address taken for loopback, the target would see it.
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("0.0.0.0", target.port()), 1000);
        } catch (IOException e) {
            assumeTrue(false, "this system does not route 0.0.0.0 to the local host");
        }
        try (LogCapture logs = LogCapture.install()) {
            twilio().formParam("StatusCallback", url("0.0.0.0", "/unspecified/secret-path"))
                    .formParam("Record", "true").formParam("RecordingStatusCallback", "http://10.1.2.3/recording")
                    .post(SandboxRoutesTest.BASE + "/Calls.json").then().statusCode(201);
            String control = controlCall("/off-loopback-control");
            clock.advance(Duration.ofSeconds(6));

            awaitCount(control, 1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> received("/unspecified").isEmpty());
            List<String> lines = logs.lines().stream().filter(l -> l.contains("Sandbox sends no callback")).toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("DEBUG") && l.contains("host 0.0.0.0")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("host 10.1.2.3")), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.contains("secret-path")), lines.toString());
        }
    }

    @Test
    void aJoinedEventListIsRefusedByTwilioSoNothingIsSent() {
        twilio().formParam("StatusCallback", url("127.0.0.1", "/joined/status"))
                .formParam("StatusCallbackEvent", "initiated ringing answered completed")
                .formParam("Record", "true").formParam("RecordingStatusCallback", url("127.0.0.1", "/joined/recording"))
                .post(SandboxRoutesTest.BASE + "/Calls.json").then().statusCode(201);
        String control = controlCall("/joined-control");
        clock.advance(Duration.ofSeconds(6));

        awaitCount(control, 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> received("/joined/").isEmpty());
    }

    /** A recorded call whose recording callback (sent after everything else of its tick) goes to {@code path}. */
    private String controlCall(String path) {
        twilio().formParam("Record", "true").formParam("RecordingStatusCallback", url("127.0.0.1", path))
                .post(SandboxRoutesTest.BASE + "/Calls.json").then().statusCode(201);
        return path;
    }

    private static RequestSpecification auth() {
        return given().auth().preemptive().basic(ACCOUNT, TOKEN);
    }

    /** A call to create on the sandbox's Twilio endpoint. */
    private static RequestSpecification twilio(String to) {
        return auth().formParam("To", to).formParam("From", "+15005550006")
                .formParam("Url", "https://example.com/twiml");
    }

    private static RequestSpecification twilio() {
        return twilio("+14155550150");
    }

    private static String url(String host, String pathAndQuery) {
        return "http://" + host + ":" + target.port() + pathAndQuery;
    }

    private static List<Request> received(String pathPrefix) {
        synchronized (arrived) {
            return arrived.stream().filter(r -> r.getUrl().startsWith(pathPrefix)).toList();
        }
    }

    private static List<Request> awaitCount(String pathPrefix, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> received(pathPrefix).size() >= count);
        List<Request> got = received(pathPrefix);
        assertEquals(count, got.size(), got.stream().map(Request::getBodyAsString).toList().toString());
        return got;
    }

    private static void assertSigned(String url, Request request, Map<String, String> fields) {
        assertTrue(TwilioSignature.matches(request.getHeader(TwilioSignature.HEADER), TOKEN, url, lists(fields)),
                "signature for " + url);
    }

    private static Map<String, List<String>> lists(Map<String, String> fields) {
        return fields.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }

    private static Map<String, String> form(Request request) {
        return decode(request.getBodyAsString());
    }

    private static Map<String, String> query(String url) {
        return decode(url.substring(url.indexOf('?') + 1));
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
