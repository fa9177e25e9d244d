package dev.voicegate.console;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A call's page: parameters (a hostile TwiML as text), the timeline with its sources, the recordings' players, and
 * End call while the call is live: refused without the CSRF token, done through the operator's ending otherwise.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleCallTest {

    static final String TO = "+14155550123";

    @Inject
    Ledger ledger;

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    String seed(String twiml, List<String> recordings, String... statuses) {
        String sid = SeededCalls.placed(ledger, "agent-x", TO, "+15017122661", twiml, Instant.now().minusSeconds(60), statuses);
        if (recordings != null) {
            SeededCalls.recorded(ledger, sid, recordings);
        }
        return sid;
    }

    static String page(String cookie, String sid) {
        return given().cookie(Sessions.COOKIE, cookie).get("/console/calls/" + sid).then().statusCode(200).extract().asString();
    }

    @Test
    void theParametersTimelineAndRecordingsWithHostileTwimlAsText() {
        String hostile = "<Response><Say>\"'</Say></Response><script>alert(1)</script>";
        String rsid = "RE" + UUID.randomUUID().toString().replace("-", "");
        String sid = seed(hostile, List.of(rsid), "initiated", "ringing", "completed");
        twilio.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(TwilioStubs.transcriptions(rsid))).willReturn(json(
                "{\"transcriptions\":[{\"sid\":\"TR0123456789abcdef0123456789abcdef\",\"recording_sid\":\"" + rsid
                        + "\",\"status\":\"completed\",\"transcription_text\":\"Hello <b>there</b>\","
                        + "\"date_created\":\"Thu, 01 Jan 2026 10:00:00 +0000\"}]}")));
        String html = page(ConsoleClient.signIn("operator").cookie(), sid);
        assertTrue(html.contains("&lt;Response&gt;&lt;Say&gt;&quot;&#39;&lt;/Say&gt;&lt;/Response&gt;&lt;script&gt;"), html);
        assertTrue(!html.contains("<script>alert"), html);
        assertTrue(html.contains("<audio controls preload=\"metadata\" data-recording-sid=\"" + rsid + "\""), html);
        assertTrue(html.contains("<div class=\"transcript\" data-transcript=\"" + rsid + "\"><p>Hello &lt;b&gt;there&lt;/b&gt;</p>"), html);
        assertTrue(html.contains("<td data-status=\"ringing\">ringing</td><td>callback</td>"), html);
        assertTrue(html.contains("<span title=\"" + TO + "\">***0123</span>"), html);
        assertTrue(!html.contains("data-action=\"end-call\""), "a completed call has no End call button");
    }

    @Test
    void unknownAndMalformedCallsAreRefusedAsPages() {
        String cookie = ConsoleClient.signIn("operator").cookie();
        given().cookie(Sessions.COOKIE, cookie).get("/console/calls/" + TwilioCalls.newSid()).then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("holds no call"));
        given().cookie(Sessions.COOKIE, cookie).get("/console/calls/CA%3Cscript%3E").then().statusCode(404)
                .body(not(containsString("<script>")));
    }

    @Test
    void endCallNeedsTheCsrfTokenAndEndsTheCallAsTheOperator() {
        String sid = seed("<Response/>", null, "initiated", "in-progress");
        String path = TwilioStubs.ACCOUNT + "/Calls/" + sid + ".json";
        twilio.stubFor(get(urlEqualTo(path)).willReturn(json(TwilioCalls.call(sid, TO, "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path)).willReturn(json(TwilioCalls.call(sid, TO, "completed"))));
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        given().cookie(Sessions.COOKIE, session.cookie()).get("/console/calls/" + sid).then().statusCode(200)
                .body(containsString("data-action=\"end-call\"")).body(containsString("data-confirm=\"end-call\""));

        given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).formParam("csrf", "forged")
                .post("/console/calls/" + sid + "/end").then().statusCode(403);
        twilio.verify(0, postRequestedFor(urlEqualTo(path)));

        try (LogCapture log = LogCapture.install()) {
            given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).formParam("csrf", session.csrf())
                    .post("/console/calls/" + sid + "/end").then().statusCode(303)
                    .header("Location", endsWith("/console/calls/" + sid + "?ended=success"));
            twilio.verify(1, postRequestedFor(urlEqualTo(path)));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("\"action\":\"end_call\"")
                    && line.contains("\"key\":\"operator\"") && line.contains(sid)), log.lines()::toString);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> page(session.cookie(), sid).contains("<td>update</td><td>operator</td>"));
        given().cookie(Sessions.COOKIE, session.cookie()).get("/console/calls/" + sid + "?ended=success").then()
                .body(containsString("The call was ended")).body(not(containsString("data-action=\"end-call\"")));
    }

    @Test
    void aListedRecordingStreamsWithTheOperatorsRightsAndRanges() {
        String rsid = "RE" + UUID.randomUUID().toString().replace("-", "");
        String sid = seed("<Response/>", List.of(rsid), "completed");
        byte[] audio = "RIFF....WAVEfmt fake audio bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String twilioPath = TwilioStubs.ACCOUNT + "/Recordings/" + rsid + ".wav";
        twilio.stubFor(get(urlEqualTo(twilioPath)).withHeader("Range", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "audio/x-wav").withHeader("Accept-Ranges", "bytes")
                        .withHeader("Content-Length", String.valueOf(audio.length)).withBody(audio)));
        twilio.stubFor(get(urlEqualTo(twilioPath)).withHeader("Range", com.github.tomakehurst.wiremock.client.WireMock.equalTo("bytes=4-7"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(206)
                        .withHeader("Content-Type", "audio/x-wav").withHeader("Content-Range", "bytes 4-7/" + audio.length)
                        .withHeader("Content-Length", "4").withBody(java.util.Arrays.copyOfRange(audio, 4, 8))));
        String media = "/console/calls/" + sid + "/recordings/" + rsid + ".wav";
        String cookie = ConsoleClient.signIn("operator").cookie();
        byte[] body = given().cookie(Sessions.COOKIE, cookie).get(media).then().statusCode(200)
                .header("Content-Type", "audio/x-wav").header("Accept-Ranges", "bytes").extract().asByteArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(audio, body);
        given().cookie(Sessions.COOKIE, cookie).header("Range", "bytes=4-7").get(media).then().statusCode(206)
                .header("Content-Range", "bytes 4-7/" + audio.length).body(org.hamcrest.Matchers.equalTo("...."));
        given().get(media).then().statusCode(401);
        String other = "RE" + UUID.randomUUID().toString().replace("-", "");
        given().cookie(Sessions.COOKIE, cookie).get("/console/calls/" + sid + "/recordings/" + other + ".wav")
                .then().statusCode(404);
        given().cookie(Sessions.COOKIE, cookie).header("Range", "bytes=9-1").get(media).then().statusCode(400);
    }
}
