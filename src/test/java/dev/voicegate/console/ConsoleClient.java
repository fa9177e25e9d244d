package dev.voicegate.console;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.voicegate.testing.GuardedKeys;
import io.restassured.response.Response;

/** Signs in to the console as a browser would (sign-in form, its CSRF token and nonce cookie) for RestAssured tests. */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** A signed-in session: its cookie's value and the CSRF token of its forms. */
    record Signed(String cookie, String csrf) {
    }

    private ConsoleClient() {
    }

    /** The sign-in form's answer: its nonce cookie and CSRF token. */
    static Signed signInForm() {
        Response form = given().redirects().follow(false).get("/console/sign-in");
        return new Signed(form.getCookie(Sessions.PRE_COOKIE), csrf(form.asString()));
    }

    /** Posts the sign-in form with this bearer secret; answers as is (no redirect followed). */
    static Response postSignIn(String secret) {
        Signed form = signInForm();
        return given().redirects().follow(false).cookie(Sessions.PRE_COOKIE, form.cookie())
                .formParam("key", secret).formParam("csrf", form.csrf()).post("/console/sign-in");
    }

    /** Signs in with the named key of {@link GuardedKeys} (an operator), and reads the session's CSRF token. */
    static Signed signIn(String keyName) {
        String cookie = postSignIn(GuardedKeys.secret(keyName)).then().statusCode(303).extract().cookie(Sessions.COOKIE);
        String page = given().cookie(Sessions.COOKIE, cookie).get("/console/calls").then().statusCode(200).extract().asString();
        return new Signed(cookie, csrf(page));
    }

    static String csrf(String html) {
        Matcher matcher = CSRF.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no CSRF token in the page: " + html);
        }
        return matcher.group(1);
    }
}
