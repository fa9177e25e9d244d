package dev.voicegate.console;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.suspension.Suspensions;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The keys page: every named key with its policy in words, quota bars and state, never a secret or a hash; suspend
 * and resume with the session's CSRF token, the REST endpoints' audit lines and control events, the API refusing the
 * suspended key; a hostile reason shown as text; no way in without an operator's session.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleKeysTest {

    static final String KEY = "console-switch";

    @Inject
    Suspensions suspensions;

    @Inject
    Ledger ledger;

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    @AfterEach
    void resume() {
        suspensions.resume(KEY).await().indefinitely();
    }

    @Test
    void everyKeyIsListedWithItsPolicyAndQuotasAndNoSecret() {
        String html = given().cookie(Sessions.COOKIE, ConsoleClient.signIn("operator").cookie()).get("/console/keys")
                .then().statusCode(200).header("Content-Security-Policy", containsString("script-src 'self'"))
                .extract().asString();
        for (String name : GuardedKeys.KEYS.keySet()) {
            assertTrue(html.contains("data-key=\"" + name + "\""), name);
        }
        assertTrue(html.contains("At most 30 calls an hour."), html);
        assertTrue(html.contains("At most 1 call a day."), html);
        assertTrue(html.contains("<meter min=\"0\" max=\"30\""), html);
        assertTrue(html.contains("data-action=\"suspend\""), html);
        assertTrue(html.contains("aria-current=\"page\">Keys"), html);
        for (String secret : GuardedKeys.secretsAndHashes()) {
            assertFalse(html.contains(secret), "no secret or hash on the page");
        }
    }

    @Test
    void suspendAndResumeNeedTheCsrfTokenAndTheApiRefusesTheSuspendedKey() {
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).formParam("csrf", "forged")
                .post("/console/keys/" + KEY + "/suspend").then().statusCode(403);
        assertTrue(suspensions.of(KEY).isEmpty(), "a forged form suspends nothing");

        try (LogCapture log = LogCapture.install()) {
            form(session).formParam("reason", "<script>alert('x')</script> on +14155550000")
                    .formParam("end_calls", "true").post("/console/keys/" + KEY + "/suspend").then().statusCode(303)
                    .header("Location", endsWith("done=suspended-ended"));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("\"action\":\"suspend_key\"")
                    && line.contains("\"key\":\"operator\"") && line.contains(KEY)), log.lines()::toString);
        }
        assertTrue(suspensions.of(KEY).isPresent());
        assertTrue(ledger.controls(null, 100).await().indefinitely().events().stream().anyMatch(e -> e.action()
                .equals("suspend_key") && e.target().equals(KEY) && e.result().startsWith("suspended; ended 0")));
        given().header("Authorization", GuardedKeys.bearer(KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(403)
                .body("error", containsString("rule 'suspended'"));

        String html = given().cookie(Sessions.COOKIE, session.cookie()).get("/console/keys").then().statusCode(200)
                .extract().asString();
        assertTrue(html.contains("data-key=\"" + KEY + "\" data-state=\"suspended\""), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), html);
        assertFalse(html.contains("<script>alert") || html.contains("4155550000"), html);
        assertTrue(html.contains("data-action=\"resume\""), html);

        form(session).post("/console/keys/" + KEY + "/resume").then().statusCode(303)
                .header("Location", endsWith("done=resumed"));
        assertTrue(suspensions.of(KEY).isEmpty());
        assertTrue(ledger.controls(null, 100).await().indefinitely().events().stream().anyMatch(e -> e.action()
                .equals("resume_key") && e.target().equals(KEY) && e.result().equals("resumed")));
    }

    @Test
    void endItsLiveCallsEndsTheKeysLiveCallsAfterSuspendingIt() {
        String sid = SeededCalls.placed(ledger, KEY, "+14155551212", "+15017122661", null, Instant.now(), "in-progress");
        String path = TwilioStubs.ACCOUNT + "/Calls/" + sid + ".json";
        twilio.stubFor(get(urlEqualTo(path)).willReturn(TwilioStubs.json(TwilioCalls.call(sid, "+14155551212", "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path)).willReturn(TwilioStubs.json(TwilioCalls.call(sid, "+14155551212", "completed"))));

        form(ConsoleClient.signIn("operator")).formParam("end_calls", "true")
                .post("/console/keys/" + KEY + "/suspend").then().statusCode(303)
                .header("Location", endsWith("done=suspended-ended"));
        twilio.verify(1, postRequestedFor(urlEqualTo(path)));
        assertTrue(ledger.controls(null, 100).await().indefinitely().events().stream().anyMatch(e -> e.action()
                .equals("suspend_key") && e.result().equals("suspended; ended 1 live call(s)")));
    }

    @Test
    void endAllLiveCallsEndsEachLiveCallOfTheAccountWhicheverKeyPlacedIt() {
        String account = GuardedKeys.SECOND_ACCOUNT_SID;
        String calls = "/2010-04-01/Accounts/" + account + "/Calls/";
        List<String> live = List.of(
                SeededCalls.placedOn(ledger, account, KEY, "+14155551212", "+15017122661", null, Instant.now(), "in-progress"),
                SeededCalls.placedOn(ledger, account, "ender", "+14155551213", "+15017122661", null, Instant.now(), "ringing"));
        String over = SeededCalls.placedOn(ledger, account, KEY, "+14155551214", "+15017122661", null, Instant.now(),
                "in-progress", "completed");
        // Other classes on this application may have left live calls on the account: Twilio ends those too.
        String any = calls + "CA[0-9a-f]{32}\\.json";
        twilio.stubFor(get(urlMatching(any)).atPriority(10).willReturn(TwilioStubs.json(TwilioCalls.call(TwilioCalls.newSid(), "+14155551299", "in-progress"))));
        twilio.stubFor(post(urlMatching(any)).atPriority(10).willReturn(TwilioStubs.json(TwilioCalls.call(TwilioCalls.newSid(), "+14155551299", "completed"))));
        for (String sid : live) {
            twilio.stubFor(get(urlEqualTo(calls + sid + ".json")).willReturn(TwilioStubs.json(TwilioCalls.call(sid, "+14155551212", "in-progress"))));
            twilio.stubFor(post(urlEqualTo(calls + sid + ".json")).willReturn(TwilioStubs.json(TwilioCalls.call(sid, "+14155551212", "completed"))));
        }
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        assertTrue(given().cookie(Sessions.COOKIE, session.cookie()).get("/console/keys").then().statusCode(200).extract()
                .asString().contains("<option value=\"" + account + "\">"), "the operator's accounts are offered");

        given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).formParam("csrf", "forged")
                .formParam("account_sid", account).post("/console/calls/end-all").then().statusCode(403);
        form(session).formParam("account_sid", "AC123").post("/console/calls/end-all").then().statusCode(400);
        twilio.verify(0, postRequestedFor(urlMatching(calls + ".*")));

        form(session).formParam("account_sid", account).post("/console/calls/end-all").then().statusCode(303)
                .header("Location", endsWith("done=ended-all"));
        for (String sid : live) {
            twilio.verify(1, postRequestedFor(urlEqualTo(calls + sid + ".json")));
        }
        twilio.verify(0, postRequestedFor(urlEqualTo(calls + over + ".json")));
        assertTrue(ledger.controls(null, 100).await().indefinitely().events().stream().anyMatch(e -> e.action()
                .equals("end_all_calls") && e.target().equals(account) && e.result().matches("ended [0-9]+ live call\\(s\\)")));

        ConsoleClient.Signed limited = ConsoleClient.signIn("operator-second");
        form(limited).formParam("account_sid", TestAccounts.ACCOUNT_SID).post("/console/calls/end-all").then()
                .statusCode(403);
    }

    @Test
    void anOperatorMayNotSuspendItselfNorAnUnknownKey() {
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        form(session).post("/console/keys/operator/suspend").then().statusCode(400);
        form(session).post("/console/keys/no-such-key/suspend").then().statusCode(404);
        assertTrue(suspensions.of("operator").isEmpty());
    }

    @Test
    void withoutAnOperatorsSessionThereIsNoWayIn() {
        given().redirects().follow(false).get("/console/keys").then().statusCode(303)
                .header("Location", endsWith("/console/sign-in"));
        // An agent key cannot sign in, and its bearer token opens no console page or form.
        given().redirects().follow(false).header("Authorization", GuardedKeys.bearer("reporting")).get("/console/keys")
                .then().statusCode(303).header("Location", endsWith("/console/sign-in"));
        given().redirects().follow(false).header("Authorization", GuardedKeys.bearer("reporting"))
                .formParam("csrf", "x").post("/console/keys/" + KEY + "/suspend").then().statusCode(303);
        ConsoleClient.postSignIn(GuardedKeys.secret("reporting")).then().statusCode(403);
        assertTrue(suspensions.of(KEY).isEmpty());
    }

    private static io.restassured.specification.RequestSpecification form(ConsoleClient.Signed session) {
        return given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie())
                .formParam("csrf", session.csrf());
    }
}
