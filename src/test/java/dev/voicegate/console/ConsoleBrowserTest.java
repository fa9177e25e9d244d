package dev.voicegate.console;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in a real browser ({@link HeadlessChromium}). An operator signs in and sees a call placed through the
 * API appear live; ends a live call from its page (a hostile TwiML there is text); plays a recording beside its
 * transcript; approves a pending make_call, whose retry then places it once; suspends a key, which the API then
 * refuses, and resumes it; every page loads; an agent key is
 * refused; no request fails and nothing breaks the Content-Security-Policy (the browser's console log stays clean).
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleBrowserTest {

    static HeadlessChromium chromium;
    static ChromeDriver browser;

    @TestHTTPResource("/console")
    URL console;

    @InjectWireMock
    WireMockServer twilio;

    @jakarta.inject.Inject
    Ledger ledger;

    @jakarta.inject.Inject
    dev.voicegate.suspension.Suspensions suspensions;

    @BeforeAll
    static void startBrowser() throws Exception {
        chromium = new HeadlessChromium();
        browser = chromium.driver;
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void fresh() {
        TwilioStubs.reset(twilio);
        chromium.fresh();
    }

    void signIn(String keyName) {
        browser.get(console + "/sign-in");
        WebElement key = browser.findElement(By.cssSelector("input[name=key]"));
        key.sendKeys(GuardedKeys.secret(keyName));
        key.submit();
    }

    static WebDriverWait waiting(WebDriver driver) {
        return chromium.waiting();
    }

    static void screenshot(String name) {
        chromium.screenshot(name);
    }

    static List<String> browserErrors() {
        return chromium.errors();
    }

    @Test
    void anOperatorSeesACallPlacedThroughTheApiAppearLive() {
        signIn("operator");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/calls"));
        // The live stream is open once htmx's sse extension says so (console.js marks it data-live=open).
        waiting(browser).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[sse-connect][data-live=open]")));

        String sid = TwilioCalls.newSid();
        twilio.stubFor(post(urlEqualTo(TwilioStubs.CALLS)).willReturn(TwilioCalls.created(sid, "+14155551212")));
        makeCall("ender", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\","
                + "\"from_\":\"+15017122661\",\"twiml\":\"<Response><Say>Hello</Say></Response>\"}");

        // Located afresh on each try: a live update may replace the row between two reads.
        By row = By.cssSelector("tr[data-call-sid='" + sid + "']");
        waiting(browser).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            WebElement shown = driver.findElement(row);
            String title = shown.findElement(By.tagName("time")).getAttribute("title");
            return shown.getText().contains("ender") && shown.getText().contains("***1212")
                    && "+14155551212".equals(shown.findElement(By.cssSelector("span[title]")).getAttribute("title"))
                    && shown.findElement(By.cssSelector("[data-status]")).isDisplayed()
                    // The time is shown in the viewer's zone, with UTC on hover (console.js).
                    && title != null && title.endsWith("UTC");
        });
        screenshot("calls");
        assertEquals(List.of(), browserErrors());
    }

    @Test
    void everyPageLoadsWithoutABrowserErrorAndSignOutWorks() {
        signIn("operator");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/calls"));
        for (String page : List.of("/keys", "/approvals", "/do-not-call", "/audit", "/calls")) {
            browser.findElement(By.cssSelector("nav a[href='/console" + page + "']")).click();
            waiting(browser).until(ExpectedConditions.urlToBe(console + page));
        }
        assertEquals(List.of(), browserErrors());
        browser.findElement(By.cssSelector("form.sign-out button")).click();
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/sign-in"));
        browser.get(console + "/approvals");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/sign-in"));
    }

    @Test
    void aLivePageWhoseSessionEndedGoesBackToSignIn() {
        signIn("operator");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/calls"));
        waiting(browser).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[sse-connect][data-live=open]")));
        browser.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of()); // as an expired session
        SeededCalls.placed(ledger, "ender", "+14155551212", "+15017122661", null, Instant.now(), "queued");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/sign-in"));
        List<String> errors = browserErrors();
        assertTrue(errors.stream().allMatch(line -> line.contains("/console/fragments/calls") && line.contains("401")),
                errors::toString);
    }

    @Test
    void anAgentKeyCannotSignIn() {
        signIn("reporting");
        WebElement alert = waiting(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertTrue(alert.getText().contains("Only operator keys may sign in"), alert.getText());
        assertTrue(browser.findElements(By.cssSelector("tr[data-call-sid]")).isEmpty());
        browser.get(console + "/calls");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/sign-in"));
        // The 403 of the refused sign-in is the page's own answer, not a failing sub-request.
        List<String> errors = browserErrors();
        assertTrue(errors.stream().allMatch(line -> line.contains("/console/sign-in")), errors::toString);
    }

    @Test
    void anOperatorEndsALiveCallFromItsPageWhereAHostileTwimlIsText() {
        String twiml = "<Response><Say>hi</Say></Response><script>document.title='owned'</script>";
        String sid = SeededCalls.placed(ledger, "ender", "+14155551212", "+15017122661", twiml, Instant.now(), "in-progress");
        String path = TwilioStubs.ACCOUNT + "/Calls/" + sid + ".json";
        twilio.stubFor(get(urlEqualTo(path)).willReturn(TwilioStubs.json(TwilioCalls.call(sid, "+14155551212", "in-progress"))));
        twilio.stubFor(post(urlEqualTo(path)).willReturn(TwilioStubs.json(TwilioCalls.call(sid, "+14155551212", "completed"))));

        signIn("operator");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/calls"));
        browser.get(console + "/calls/" + sid);
        assertEquals(twiml, browser.findElement(By.cssSelector("pre[data-twiml]")).getText());
        assertTrue(!"owned".equals(browser.getTitle()), browser.getTitle());

        WebElement confirm = browser.findElement(By.cssSelector("button[data-confirm=end-call]"));
        assertTrue(!confirm.isDisplayed(), "the confirmation shows only after End call");
        browser.findElement(By.cssSelector("button[data-action=end-call]")).click();
        waiting(browser).until(ExpectedConditions.visibilityOf(confirm));
        screenshot("call");
        confirm.click();
        WebElement notice = waiting(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=status]")));
        assertTrue(notice.getText().contains("ended"), notice.getText());
        twilio.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(path)));
        assertEquals(List.of(), browserErrors());
    }

    @Test
    void aRecordingPlaysBesideItsTranscript() {
        String sid = SeededCalls.placed(ledger, "ender", "+14155551212", "+15017122661", "<Response/>",
                Instant.now().minusSeconds(30), "completed");
        String rsid = SeededCalls.recordingSid();
        SeededCalls.recorded(ledger, sid, List.of(rsid));
        byte[] wav = SeededCalls.wav(2);
        twilio.stubFor(get(urlEqualTo(TwilioStubs.ACCOUNT + "/Recordings/" + rsid + ".wav"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "audio/x-wav").withHeader("Content-Length", String.valueOf(wav.length))
                        .withBody(wav)));
        twilio.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(TwilioStubs.transcriptions(rsid)))
                .willReturn(TwilioStubs.json("{\"transcriptions\":[{\"sid\":\"TR0123456789abcdef0123456789abcdef\","
                        + "\"status\":\"completed\",\"transcription_text\":\"Hello from the sandbox\"}]}")));

        signIn("operator");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/calls"));
        browser.get(console + "/calls/" + sid);
        WebElement audio = browser.findElement(By.cssSelector("audio[data-recording-sid='" + rsid + "']"));
        waiting(browser).until(driver -> ((Number) browser.executeScript("return arguments[0].readyState;", audio)).intValue() >= 2);
        double duration = ((Number) browser.executeScript("return arguments[0].duration;", audio)).doubleValue();
        assertTrue(duration > 1.5 && duration < 2.5, "duration " + duration);
        assertEquals("Hello from the sandbox", browser.findElement(By.cssSelector("[data-transcript]")).getText());
        assertEquals(List.of(), browserErrors());
    }

    @Test
    void anOperatorApprovesAPendingCallAndTheRetryPlacesItOnce() {
        String sid = TwilioCalls.newSid();
        twilio.stubFor(post(urlEqualTo(TwilioStubs.CALLS)).willReturn(TwilioCalls.created(sid, "+14155551212")));
        String body = "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\",\"idempotency_key\":\"browser-" + sid + "\"}";
        String pending = makeCall("approval-always", body);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("approval_id (AP[0-9a-f]{32})").matcher(pending);
        assertTrue(id.find(), pending);

        signIn("operator");
        waiting(browser).until(ExpectedConditions.urlToBe(console + "/calls"));
        browser.get(console + "/approvals");
        browser.findElement(By.cssSelector("tr[data-approval-id='" + id.group(1) + "'] button[data-action=approve]")).click();
        waiting(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=status]")));
        assertEquals("approved", browser.findElement(By.cssSelector("tr[data-approval-id='" + id.group(1) + "']"))
                .getAttribute("data-state"));

        assertTrue(makeCall("approval-always", body).contains(sid));
        assertTrue(makeCall("approval-always", body).contains(sid), "a replay, not a second call");
        twilio.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(TwilioStubs.CALLS)));
        assertEquals(List.of(), browserErrors());
    }

    @Test
    void anOperatorSuspendsAKeyWhichTheApiThenRefusesAndResumesIt() {
        String key = ConsoleKeysTest.KEY;
        String row = "tr[data-key='" + key + "']";
        try {
            signIn("operator");
            waiting(browser).until(ExpectedConditions.urlToBe(console + "/calls"));
            browser.get(console + "/keys");
            screenshot("keys");
            WebElement confirm = browser.findElement(By.cssSelector(row + " button[data-confirm=suspend]"));
            assertTrue(!confirm.isDisplayed(), "the confirmation shows only after Suspend");
            browser.findElement(By.cssSelector(row + " button[data-action=suspend]")).click();
            waiting(browser).until(ExpectedConditions.visibilityOf(confirm));
            browser.findElement(By.cssSelector(row + " input[name=reason]")).sendKeys("runaway loop");
            confirm.click();
            // Located afresh on each try: the form's answer replaces the page.
            waiting(browser).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(row + "[data-state=suspended]")));
            given().header("Authorization", GuardedKeys.bearer(key)).contentType("application/json").body(MAKE_CALL)
                    .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(403)
                    .body("error", org.hamcrest.Matchers.containsString("rule 'suspended'"));

            browser.findElement(By.cssSelector(row + " button[data-action=resume]")).click();
            waiting(browser).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(row + "[data-state=active]")));
            assertTrue(suspensions.of(key).isEmpty());
            assertEquals(List.of(), browserErrors());
        } finally {
            suspensions.resume(key).await().indefinitely();
        }
    }

    static final String MAKE_CALL = "{\"to\":\"+14155551212\",\"from_\":\"+15017122661\","
            + "\"url\":\"https://example.com/twiml\"}";

    static String makeCall(String key, String body) {
        return given().header("Authorization", GuardedKeys.bearer(key)).contentType("application/json").body(body)
                .post("/v1/actions/make_call").then().statusCode(200).extract().asString();
    }
}
