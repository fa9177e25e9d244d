package dev.voicegate.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.dnc.DoNotCall;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The do-not-call page: add (a reason with markup shown as text) and remove with the session's CSRF token and the
 * REST endpoints' audit lines; a malformed number is refused as a page.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleDoNotCallTest {

    @Inject
    DoNotCall list;

    @Inject
    dev.voicegate.ledger.Ledger ledger;

    static String number() {
        return "+1415555" + String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    }

    static Response post(ConsoleClient.Signed session, String path, String csrf, String number, String reason) {
        var request = given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).formParam("number", number);
        if (csrf != null) {
            request.formParam("csrf", csrf);
        }
        if (reason != null) {
            request.formParam("reason", reason);
        }
        return request.post("/console/do-not-call/" + path);
    }

    @Test
    void addListAndRemoveWithTheCsrfToken() {
        String number = number();
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        post(session, "add", null, number, null).then().statusCode(403);
        post(session, "add", "forged", number, null).then().statusCode(403);
        assertFalse(list.find(number).await().indefinitely().isPresent());

        try (LogCapture log = LogCapture.install()) {
            post(session, "add", session.csrf(), number, "<b>asked</b> \"twice\"").then().statusCode(303)
                    .header("Location", endsWith("done=added"));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("\"action\":\"add_do_not_call\"")
                    && line.contains("\"key\":\"operator\"") && line.contains(number.substring(number.length() - 4))
                    && !line.contains(number)), log.lines()::toString);
        }
        assertTrue(list.find(number).await().indefinitely().isPresent());
        assertTrue(ledger.controls(null, 100).await().indefinitely().events().stream().anyMatch(e -> e.action().equals(
                "add_do_not_call") && e.target().equals("***" + number.substring(number.length() - 4))
                && e.result().equals("added")), "the change is a control event in the ledger, the number masked");
        given().cookie(Sessions.COOKIE, session.cookie()).get("/console/do-not-call?done=added").then().statusCode(200)
                .body(containsString("<tr data-number=\"" + number + "\">"))
                .body(containsString("&lt;b&gt;asked&lt;/b&gt; &quot;twice&quot;")).body(not(containsString("<b>asked")))
                .body(containsString("data-action=\"remove\"")).body(containsString("The number was added"));

        post(session, "remove", session.csrf(), number, null).then().statusCode(303).header("Location", endsWith("done=removed"));
        assertFalse(list.find(number).await().indefinitely().isPresent());
        post(session, "remove", session.csrf(), number, null).then().statusCode(303).header("Location", endsWith("done=not-listed"));
    }

    @Test
    void aMalformedNumberOrReasonIsRefusedAsAPage() {
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        post(session, "add", session.csrf(), "<script>", null).then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("E.164")).body(not(containsString("<script>")));
        post(session, "add", session.csrf(), number(), "line\nbreak").then().statusCode(400);
        given().redirects().follow(false).get("/console/do-not-call").then().statusCode(303)
                .header("Location", endsWith("/console/sign-in"));
    }
}
