package dev.voicegate.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Signing in to the console: operator keys only, with the refusal's reason and an audit line otherwise; the session
 * cookie's flags; the security headers; a redirect to sign-in without a valid session; CSRF on sign-in and sign-out.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleSignInTest {

    @Inject
    Sessions sessions;

    @Test
    void theSignInPageHasTheKeyFieldAndTheSecurityHeaders() {
        Response page = given().get("/console/sign-in");
        page.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", equalTo(ConsoleHeaders.CSP))
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store")
                .body(containsString("<input id=\"key\" name=\"key\" type=\"password\""))
                .body(not(containsString("<script>")));
        String preCookie = page.getHeader("Set-Cookie");
        assertTrue(preCookie.contains("HttpOnly") && preCookie.contains("SameSite=Strict"), preCookie);
        given().get("/console/static/console.css").then().statusCode(200)
                .header("Content-Security-Policy", equalTo(ConsoleHeaders.CSP));
        given().get("/webjars/htmx.org/dist/htmx.min.js").then().statusCode(200);
        given().get("/webjars/htmx-ext-sse/sse.js").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body(not(containsString("/console")));
    }

    @Test
    void anOperatorSignsInWithASignedHttpOnlyStrictCookie() {
        Response answer = ConsoleClient.postSignIn(GuardedKeys.secret("operator"));
        answer.then().statusCode(303).header("Location", endsWith("/console/calls"));
        String setCookie = answer.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Sessions.COOKIE + "=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/console"), setCookie);
        assertTrue(setCookie.contains("Max-Age="), setCookie);
        assertFalse(setCookie.contains("Secure"), "no Secure flag when PUBLIC_URL is not https: " + setCookie);
        GuardedKeys.secretsAndHashes().forEach(secret -> assertFalse(setCookie.contains(secret), setCookie));
        String cookie = answer.getCookie(Sessions.COOKIE);
        given().cookie(Sessions.COOKIE, cookie).get("/console/calls").then().statusCode(200)
                .body(containsString("operator")).body(containsString("Sign out"));
        given().redirects().follow(false).cookie(Sessions.COOKIE, cookie).get("/console")
                .then().statusCode(303).header("Location", endsWith("/console/calls"));
        given().redirects().follow(false).cookie(Sessions.COOKIE, cookie).get("/console/sign-in")
                .then().statusCode(303).header("Location", endsWith("/console/calls"));
    }

    @Test
    void anAgentKeyIsRefusedClearlyAndAudited() {
        try (LogCapture log = LogCapture.install()) {
            Response answer = ConsoleClient.postSignIn(GuardedKeys.secret("reporting"));
            answer.then().statusCode(403).body(containsString("Only operator keys may sign in"))
                    .body(containsString("reporting"));
            assertTrue(answer.getHeaders().getValues("Set-Cookie").stream().noneMatch(c -> c.startsWith(Sessions.COOKIE + "=")));
            List<String> audit = log.lines().stream().filter(line -> line.contains("\"console_sign_in\"")).toList();
            assertTrue(audit.stream().anyMatch(line -> line.contains("\"key\":\"reporting\"") && line.contains("\"decision\":\"deny\"")
                    && line.contains("\"rule\":\"role\"")), audit::toString);
        }
        ConsoleClient.postSignIn("not-a-key").then().statusCode(401).body(containsString("not a valid key"));
        ConsoleClient.postSignIn("").then().statusCode(401);
    }

    @Test
    void signInWithoutTheFormsCsrfTokenIsRefused() {
        ConsoleClient.Signed form = ConsoleClient.signInForm();
        given().redirects().follow(false).cookie(Sessions.PRE_COOKIE, form.cookie()).formParam("key", GuardedKeys.secret("operator"))
                .post("/console/sign-in").then().statusCode(403).header("Set-Cookie", not(containsString(Sessions.COOKIE + "=")));
        given().redirects().follow(false).formParam("key", GuardedKeys.secret("operator")).formParam("csrf", form.csrf())
                .post("/console/sign-in").then().statusCode(403);
    }

    @Test
    void withoutAValidSessionEveryPageRedirectsToSignIn() {
        for (String path : List.of("/console/calls", "/console/fragments/calls", "/console/stream/calls")) {
            given().redirects().follow(false).get(path).then().statusCode(303).header("Location", endsWith("/console/sign-in"));
        }
        String cookie = ConsoleClient.signIn("operator").cookie();
        String forged = cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA");
        given().redirects().follow(false).cookie(Sessions.COOKIE, forged).get("/console/calls")
                .then().statusCode(303).header("Location", endsWith("/console/sign-in"));
        given().redirects().follow(false).cookie(Sessions.COOKIE, "garbage").get("/console/calls").then().statusCode(303);
        given().redirects().follow(false).cookie(Sessions.COOKIE, forged).get("/console/sign-in").then().statusCode(200);
        // htmx's own requests (the live refresh) are told to load the sign-in page rather than swap it into the table.
        given().redirects().follow(false).header("HX-Request", "true").get("/console/fragments/calls").then()
                .statusCode(401).header("HX-Redirect", "/console/sign-in");
    }

    @Test
    void aSessionWhoseKeyMayNoLongerSignInIsRefusedWithoutARedirectLoop() {
        for (String key : List.of("reporting", "no-such-key")) {
            String cookie = sessions.open(key); // as if the key had been an operator when it signed in
            given().redirects().follow(false).cookie(Sessions.COOKIE, cookie).get("/console/calls")
                    .then().statusCode(303).header("Location", endsWith("/console/sign-in"));
            given().redirects().follow(false).cookie(Sessions.COOKIE, cookie).get("/console/sign-in").then().statusCode(200);
        }
    }

    @Test
    void signOutNeedsTheCsrfTokenAndEndsTheCookie() {
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).post("/console/sign-out")
                .then().statusCode(403).body(containsString("CSRF"));
        given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).formParam("csrf", "wrong")
                .post("/console/sign-out").then().statusCode(403);
        Response out = given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie())
                .formParam("csrf", session.csrf()).post("/console/sign-out");
        out.then().statusCode(303).header("Location", endsWith("/console/sign-in"));
        assertTrue(out.getHeaders().getValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith(Sessions.COOKIE + "=;") && c.contains("Max-Age=0")), out.getHeaders()::toString);
    }
}
