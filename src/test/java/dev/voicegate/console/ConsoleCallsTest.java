package dev.voicegate.console;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The calls page: the ledger's rows newest first with their hooks, hostile values shown as text, the masked
 * {@code to} with the full number on hover, filters and paging, and a live event when the ledger changes. Each test
 * seeds calls under a key name of its own, so the filters show only its calls.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleCallsTest {

    static final AtomicInteger KEYS = new AtomicInteger();
    static final String TO = "+14155550123";
    static final Pattern ROW = Pattern.compile("<tr data-call-sid=\"(CA[0-9a-f]{32})\"");

    @Inject
    Ledger ledger;

    @TestHTTPResource("/console/stream/calls")
    URI stream;

    static String freshKey() {
        return "console-" + KEYS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    /** Seeds a placed call of this key with these statuses; its SID. */
    String seed(String key, String from, String twiml, Instant at, String... statuses) {
        return SeededCalls.placed(ledger, key, TO, from, twiml, at, statuses);
    }

    static String page(String cookie, String query) {
        return given().urlEncodingEnabled(false).cookie(Sessions.COOKIE, cookie).get("/console/calls?" + query)
                .then().statusCode(200).extract().asString();
    }

    static List<String> sids(String html) {
        Matcher row = ROW.matcher(html);
        List<String> found = new java.util.ArrayList<>();
        while (row.find()) {
            found.add(row.group(1));
        }
        return found;
    }

    @Test
    void rowsAreNewestFirstWithTheirStatusAndTheMaskedNumber() {
        String key = freshKey();
        Instant at = Instant.now().minusSeconds(600);
        String older = seed(key, "+15017122661", null, at, "initiated", "ringing", "in-progress", "completed");
        String newer = seed(key, "+15017122661", null, at.plusSeconds(60), "initiated", "ringing");
        String html = page(ConsoleClient.signIn("operator").cookie(), "key=" + key);
        assertEquals(List.of(newer, older), sids(html));
        assertTrue(html.contains("<td data-status=\"completed\"><a href=\"/console/calls/" + older + "\">completed</a>"), html);
        assertTrue(html.contains("<td data-status=\"ringing\">"), html);
        assertTrue(html.contains("<span title=\"" + TO + "\">***0123</span>"), html);
        assertTrue(html.contains("<time datetime=\"" + at + "\">"), html);
        assertTrue(html.contains("<a href=\"/console/calls\" aria-current=\"page\">Calls</a>"), html);
    }

    @Test
    void hostileValuesAreShownAsText() {
        String key = freshKey();
        String hostile = "\"><script>alert(1)</script>";
        seed(key, hostile, "<Response><Say>\"'<script>x</script></Say></Response>", Instant.now(), "queued");
        String cookie = ConsoleClient.signIn("operator").cookie();
        given().urlEncodingEnabled(false).cookie(Sessions.COOKIE, cookie).get("/console/calls?key=" + key)
                .then().statusCode(200).body(not(containsString("<script>alert")))
                .body(containsString("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        given().urlEncodingEnabled(false).cookie(Sessions.COOKIE, cookie)
                .get("/console/calls?key=%22%3E%3Cscript%3Ealert(1)%3C/script%3E").then().statusCode(200)
                .body(not(containsString("<script>alert"))).body(containsString("The filter &#39;key&#39; was not understood"));
    }

    @Test
    void filtersAndCursorPaging() {
        String key = freshKey();
        Instant at = Instant.now().minusSeconds(3600);
        for (int i = 0; i < CallFilters.PAGE_SIZE + 2; i++) {
            seed(key, "+15017122661", null, at.plusSeconds(i), i % 2 == 0 ? "completed" : "busy");
        }
        String cookie = ConsoleClient.signIn("operator").cookie();
        String first = page(cookie, "key=" + key);
        assertEquals(CallFilters.PAGE_SIZE, sids(first).size());
        Matcher next = Pattern.compile("<a href=\"(/console/calls\\?[^\"]+)\" rel=\"next\">").matcher(first);
        assertTrue(next.find(), first);
        String second = given().urlEncodingEnabled(false).cookie(Sessions.COOKIE, cookie)
                .get(next.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();
        assertEquals(2, sids(second).size());
        assertTrue(sids(first).stream().noneMatch(sids(second)::contains));
        assertTrue(!second.contains("sse-connect"), "only the first page is live");
        assertEquals(CallFilters.PAGE_SIZE / 2 + 1, sids(page(cookie, "key=" + key + "&status=completed")).size());
        String since = at.plusSeconds(50).toString().substring(0, 19);
        assertEquals(2, sids(page(cookie, "key=" + key + "&since=" + since)).size());
        assertEquals(0, sids(page(cookie, "key=" + key + "&account=" + GuardedKeys.SECOND_ACCOUNT_SID)).size());
        given().urlEncodingEnabled(false).cookie(Sessions.COOKIE, cookie).get("/console/calls?key=" + key + "&page=bogus")
                .then().statusCode(200).body(containsString("no longer valid"));
    }

    @Test
    void anOperatorLimitedToAnAccountIsToldSo() {
        String cookie = ConsoleClient.signIn("operator-second").cookie();
        given().cookie(Sessions.COOKIE, cookie).get("/console/calls").then().statusCode(200)
                .body(containsString("may use only " + GuardedKeys.SECOND_ACCOUNT_SID));
        page(cookie, "account=" + GuardedKeys.SECOND_ACCOUNT_SID);
    }

    @Test
    void theFragmentHasOnlyTheRowsAndTheStreamSaysWhenTheLedgerChanged() throws Exception {
        String key = freshKey();
        String cookie = ConsoleClient.signIn("operator").cookie();
        String sid = seed(key, "+15017122661", null, Instant.now(), "queued");
        String fragment = given().urlEncodingEnabled(false).cookie(Sessions.COOKIE, cookie)
                .get("/console/fragments/calls?key=" + key).then().statusCode(200).extract().asString();
        assertEquals(List.of(sid), sids(fragment));
        assertTrue(!fragment.contains("<html") && !fragment.contains("<table"), fragment);

        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        var response = client.sendAsync(HttpRequest.newBuilder(stream).header("Cookie", Sessions.COOKIE + "=" + cookie)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> r.body().forEach(lines::add));
        await().atMost(Duration.ofSeconds(10)).until(response::isDone);
        assertEquals(200, response.get().statusCode());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            seed(key, "+15017122661", null, Instant.now(), "queued");
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("event:") && line.contains("ledger")), lines::toString);
        });
        // A quiet stream is kept alive with comments (CONSOLE_KEEP_ALIVE, 1 s in tests), which browsers ignore.
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(line -> line.startsWith(":")));
        response.get().body().close();
    }
}
