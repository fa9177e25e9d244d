package dev.voicegate.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.PackagedApp;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The console in headless Chromium against the packaged jar on its embedded sandbox, started as the README starts
 * it ({@code -Dquarkus.profile=sandbox}), with the test's named keys on top. Nothing is seeded: every call is placed
 * through the API and follows the sandbox's script and its signed status callbacks. An operator signs in and sees two
 * keys' calls appear live and complete without a reload; plays a completed call's recording beside its transcript;
 * ends a live call from its page, where a hostile TwiML is text; suspends a key, which the API then refuses; approves
 * a pending make_call, whose retry places it once; ends every live call of the account; an agent key cannot sign in;
 * and no request fails in the browser.
 * Screenshots of the calls, call and keys pages go to {@code target/console-screenshots} (docs/images holds copies).
 */
class ConsoleSandboxIT {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    /** The sandbox accepts this caller only (docs/sandbox.md). */
    static final String FROM = "+15005550006";
    /** The sandbox's call that stays in progress for ten minutes. */
    static final String LONG_TO = "+15005550009";
    static final String TRANSCRIPT = "Hello from the Voicegate sandbox.";
    static final Pattern APPROVAL_ID = Pattern.compile("approval_id (AP[0-9a-f]{32})");

    static PackagedApp app;
    static HeadlessChromium chromium;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>(GuardedKeys.config());
        app = PackagedApp.sandbox("console-sandbox-it", settings);
        chromium = new HeadlessChromium();
        browser = chromium.driver;
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void signedOut() {
        chromium.fresh();
    }

    @AfterEach
    void nothingFailedInTheBrowser() {
        assertEquals(List.of(), chromium.errors());
    }

    @Test
    void twoKeysCallsAppearLiveWithTheirKeyNamesAndFollowTheirStatusWithoutAReload() {
        signIn("operator");
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[sse-connect][data-live=open]")));
        browser.executeScript("window.notReloaded = true;");

        String first = placed("ender", call(uniqueTo(), ",\"record\":true"));
        String second = placed("suspendable", call(uniqueTo(), ""));

        for (String[] call : new String[][] {{first, "ender"}, {second, "suspendable"}}) {
            chromium.waiting().until(driver -> {
                String text = rowText(call[0]);
                return text != null && text.contains(call[1]);
            });
        }
        // The sandbox completes a call 5 s after it was placed; its callbacks reach the page over the live stream.
        chromium.waiting().until(driver -> "completed".equals(statusOf(first)) && "completed".equals(statusOf(second)));
        assertEquals(Boolean.TRUE, browser.executeScript("return window.notReloaded === true;"));
        chromium.screenshot("calls");
    }

    @Test
    void aCompletedCallsRecordingPlaysBesideItsTranscript() {
        String sid = placed("ender", call(uniqueTo(), ",\"record\":true"));
        action("ender", "get_call", "{\"account_sid\":\"" + ACCOUNT + "\",\"call_sid\":\"" + sid + "\",\"wait_seconds\":30}");
        signIn("operator");
        // The recording is the ledger's once the sandbox's recording callback has come: reload until it has.
        chromium.waiting().until(driver -> {
            driver.get(console("/calls/" + sid));
            return !driver.findElements(By.cssSelector("audio[data-recording-sid]")).isEmpty();
        });
        WebElement audio = browser.findElement(By.cssSelector("audio[data-recording-sid]"));
        chromium.waiting().until(driver -> ((Number) browser.executeScript("return arguments[0].readyState;", audio)).intValue() >= 2);
        double duration = ((Number) browser.executeScript("return arguments[0].duration;", audio)).doubleValue();
        assertTrue(duration > 2 && duration < 4, "the sandbox's recordings last 3 s: " + duration);
        assertEquals(TRANSCRIPT, browser.findElement(By.cssSelector("[data-transcript]")).getText());
        chromium.screenshot("call");
    }

    @Test
    void anOperatorEndsALiveCallFromItsPageWhereAHostileTwimlIsText() {
        String twiml = "<Response><Say>\"Hi\" &amp; 'bye'</Say><script>document.title='owned'</script></Response>";
        String sid = placed("ender", "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + LONG_TO + "\",\"from_\":\"" + FROM
                + "\",\"twiml\":" + json(twiml) + "}");
        signIn("operator");
        browser.get(console("/calls/" + sid));
        assertEquals(twiml, browser.findElement(By.cssSelector("pre[data-twiml]")).getText());
        assertFalse("owned".equals(browser.getTitle()), browser.getTitle());

        WebElement confirm = browser.findElement(By.cssSelector("button[data-confirm=end-call]"));
        assertFalse(confirm.isDisplayed(), "the confirmation shows only after End call");
        browser.findElement(By.cssSelector("button[data-action=end-call]")).click();
        chromium.waiting().until(ExpectedConditions.visibilityOf(confirm));
        confirm.click();
        WebElement notice = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=status]")));
        assertTrue(notice.getText().contains("ended"), notice.getText());

        String status = JsonPath.from(action("ender", "get_call", "{\"account_sid\":\"" + ACCOUNT + "\",\"call_sid\":\""
                + sid + "\"}")).getString("status");
        assertTrue(status.equals("completed") || status.equals("canceled"), "hung up on the sandbox: " + status);
    }

    @Test
    void anOperatorSuspendsAKeyWhichTheApiThenRefusesAndResumesIt() {
        String row = "tr[data-key='runaway']";
        signIn("operator");
        browser.get(console("/keys"));
        chromium.screenshot("keys");
        browser.findElement(By.cssSelector(row + " button[data-action=suspend]")).click();
        WebElement confirm = browser.findElement(By.cssSelector(row + " button[data-confirm=suspend]"));
        chromium.waiting().until(ExpectedConditions.visibilityOf(confirm));
        browser.findElement(By.cssSelector(row + " input[name=reason]")).sendKeys("runaway loop");
        confirm.click();
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row + "[data-state=suspended]")));
        String refused = makeCall("runaway", "{\"to\":\"" + uniqueTo() + "\",\"from_\":\"" + FROM
                + "\",\"url\":\"https://example.com/twiml\"}", 403);
        assertTrue(refused.contains("rule 'suspended'") && refused.contains("runaway loop"), refused);

        browser.findElement(By.cssSelector(row + " button[data-action=resume]")).click();
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row + "[data-state=active]")));
        placed("runaway", call(uniqueTo(), ""));
    }

    @Test
    void anOperatorEndsEveryLiveCallOfTheAccountFromTheKeysPage() {
        List<String> live = List.of(placed("ender", call(LONG_TO, "")), placed("suspendable", call(LONG_TO, "")));
        signIn("operator");
        browser.get(console("/keys"));
        // Two accounts are configured here (the sandbox's and the keys' second), so the field is offered empty.
        browser.findElement(By.cssSelector("input[name=account_sid]")).sendKeys(ACCOUNT);
        browser.findElement(By.cssSelector("button[data-action=end-all]")).click();
        WebElement confirm = browser.findElement(By.cssSelector("button[data-confirm=end-all]"));
        chromium.waiting().until(ExpectedConditions.visibilityOf(confirm));
        confirm.click();
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=status]")));
        for (String sid : live) {
            String status = JsonPath.from(action("ender", "get_call", "{\"account_sid\":\"" + ACCOUNT
                    + "\",\"call_sid\":\"" + sid + "\"}")).getString("status");
            assertTrue(status.equals("completed") || status.equals("canceled"), sid + " hung up: " + status);
        }
    }

    @Test
    void anOperatorApprovesAPendingMakeCallAndTheRetryPlacesItOnce() {
        String to = uniqueTo();
        String body = call(to, ",\"idempotency_key\":\"console-it-" + to.substring(1) + "\"");
        String pending = action("approval-always", "make_call", body);
        Matcher id = APPROVAL_ID.matcher(pending);
        assertTrue(id.find(), pending);

        signIn("operator");
        browser.get(console("/approvals"));
        String row = "tr[data-approval-id='" + id.group(1) + "']";
        browser.findElement(By.cssSelector(row + " button[data-action=approve]")).click();
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=status]")));
        assertEquals("approved", browser.findElement(By.cssSelector(row)).getAttribute("data-state"));

        String sid = placed("approval-always", body);
        assertEquals(sid, placed("approval-always", body), "a replay, not a second call");
        JsonPath listed = JsonPath.from(action("approval-always", "list_calls",
                "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + to + "\"}"));
        assertEquals(List.of(sid), listed.getList("calls.call_sid"), "the sandbox got exactly one call to " + to);
    }

    @Test
    void everyPageFitsAPhoneScreen() {
        signIn("operator");
        placed("ender", call(uniqueTo(), ""));
        try {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            for (String page : List.of("/calls", "/keys", "/approvals", "/do-not-call", "/audit")) {
                browser.get(console(page));
                // Wide tables scroll inside their own box; the page itself never scrolls sideways.
                Number overflow = (Number) browser.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertEquals(0, overflow.intValue(), page + " is wider than a phone's screen");
            }
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    @Test
    void anAgentKeyCannotSignIn() {
        signIn("ender");
        WebElement alert = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertTrue(alert.getText().contains("Only operator keys may sign in"), alert.getText());
        browser.get(console("/calls"));
        chromium.waiting().until(ExpectedConditions.urlToBe(console("/sign-in")));
        // The refused sign-in's 403 is the page's own answer, not a failing sub-request.
        List<String> errors = chromium.errors();
        assertTrue(errors.stream().allMatch(line -> line.contains("/console/sign-in")), errors::toString);
    }

    static String console(String path) {
        return "http://localhost:" + app.port() + "/console" + path;
    }

    static void signIn(String keyName) {
        browser.get(console("/sign-in"));
        WebElement key = browser.findElement(By.cssSelector("input[name=key]"));
        key.sendKeys(GuardedKeys.secret(keyName));
        key.submit();
        if (keyName.startsWith("operator")) {
            chromium.waiting().until(ExpectedConditions.urlToBe(console("/calls")));
        }
    }

    static By row(String sid) {
        return By.cssSelector("tr[data-call-sid='" + sid + "']");
    }

    /** The text of a call's row now, or null while it is not there (a live update may be replacing it). */
    static String rowText(String sid) {
        try {
            List<WebElement> rows = browser.findElements(row(sid));
            return rows.isEmpty() ? null : rows.get(0).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
            return null;
        }
    }

    /** The status a row shows now, or null while the row is not there (a live update may be replacing it). */
    static String statusOf(String sid) {
        List<WebElement> cells = browser.findElements(By.cssSelector("tr[data-call-sid='" + sid + "'] [data-status]"));
        try {
            return cells.isEmpty() ? null : cells.get(0).getAttribute("data-status");
        } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
            return null;
        }
    }

    /** A number of its own for each call, so that the sandbox's list shows which calls a test placed. */
    static String uniqueTo() {
        return "+1415555" + String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    }

    static String call(String to, String extra) {
        return "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + to + "\",\"from_\":\"" + FROM + "\","
                + "\"url\":\"https://example.com/twiml\"" + extra + "}";
    }

    /** make_call with {@code key}; the call's SID, after checking the answer against the contract. */
    static String placed(String key, String body) {
        JsonPath placed = JsonPath.from(action(key, "make_call", body));
        assertTrue(placed.getBoolean("success"), placed.prettify());
        return placed.getString("call_sid");
    }

    static String action(String key, String name, String body) {
        String answer = given().port(app.port()).header("Authorization", GuardedKeys.bearer(key))
                .contentType(ContentType.JSON).body(body).post("/v1/actions/" + name).then().statusCode(200)
                .extract().asString();
        ContractSchemas.assertValidOutput(name, answer);
        return answer;
    }

    static String makeCall(String key, String body, int status) {
        return given().port(app.port()).header("Authorization", GuardedKeys.bearer(key)).contentType(ContentType.JSON)
                .body(body).post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(status).extract().asString();
    }

    static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
