package dev.voicegate.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.suspension.Suspensions;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The audit page: an operator's control from the ledger and the refusal it causes, with its rule; filters by key and
 * rule; a hostile reason is text, a hostile filter is refused rather than echoed; only with an operator's session.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleAuditTest {

    static final String KEY = ConsoleKeysTest.KEY;
    static final Pattern ROW = Pattern.compile("<tr data-audit-rule=\"([^\"]*)\" data-audit-key=\"([^\"]*)\">");

    @Inject
    Suspensions suspensions;

    @AfterEach
    void resume() {
        suspensions.resume(KEY).await().indefinitely();
    }

    @Test
    void controlsAndRefusalsAreListedWithTheirRuleAndFilteredByKeyAndRule() {
        given().header("Authorization", GuardedKeys.bearer("operator")).contentType(ContentType.JSON)
                .body("{\"reason\":\"<script>alert('x')</script>\"}").post("/v1/admin/keys/" + KEY + "/suspend")
                .then().statusCode(200);
        given().header("Authorization", GuardedKeys.bearer(KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(403);

        String cookie = ConsoleClient.signIn("operator").cookie();
        String all = page(cookie, "");
        assertTrue(all.contains("<tr data-audit-rule=\"control\" data-audit-key=\"operator\">"), all);
        assertTrue(all.contains("<tr data-audit-rule=\"suspended\" data-audit-key=\"" + KEY + "\">"), all);
        assertTrue(all.contains("suspend_key") && all.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), all);
        assertFalse(all.contains("<script>alert"), all);
        assertTrue(all.contains("aria-current=\"page\">Audit"), all);
        // This replica's decisions: the suspension allowed and the sign-in, not the operators' reads (log lines only).
        assertTrue(all.contains("<tr data-audit-rule=\"allow\" data-audit-key=\"operator\">"), all);
        assertTrue(all.contains("console_sign_in"), all);
        assertFalse(all.contains("console_audit") || all.contains("console_list_calls"), all);

        assertOnly(page(cookie, "?rule=suspended"), "suspended", null);
        assertOnly(page(cookie, "?key=" + KEY), null, KEY);
        assertOnly(page(cookie, "?key=operator&rule=control"), "control", "operator");
        assertOnly(page(cookie, "?key=operator&rule=allow"), "allow", "operator");
    }

    @Test
    void aHostileFilterOrCursorIsRefusedAndNothingOpensWithoutASession() {
        String cookie = ConsoleClient.signIn("operator").cookie();
        given().cookie(Sessions.COOKIE, cookie).get("/console/audit?key=%3Cscript%3E").then().statusCode(400)
                .body(not(containsString("<script>")));
        given().cookie(Sessions.COOKIE, cookie).get("/console/audit?cursor=not-a-token").then().statusCode(400);
        given().redirects().follow(false).get("/console/audit").then().statusCode(303)
                .header("Location", endsWith("/console/sign-in"));
        given().redirects().follow(false).header("Authorization", GuardedKeys.bearer("reporting")).get("/console/audit")
                .then().statusCode(303).header("Location", endsWith("/console/sign-in"));
    }

    static String page(String cookie, String query) {
        return given().cookie(Sessions.COOKIE, cookie).get("/console/audit" + query).then().statusCode(200)
                .extract().asString();
    }

    /** Every row has this rule and this key (null: any), and there is at least one. */
    static void assertOnly(String html, String rule, String key) {
        Matcher row = ROW.matcher(html);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertTrue(rule == null || rule.equals(row.group(1)), row.group());
            assertTrue(key == null || key.equals(row.group(2)), row.group());
        }
        assertTrue(rows > 0, html);
    }
}
