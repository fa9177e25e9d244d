package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.CallDetails;
import dev.voicegate.ledger.Delivery;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerUnavailableException;
import dev.voicegate.ledger.StatusEvent;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.McpClients;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Reading the call ledger ({@code GET /v1/ledger/calls[/{call_sid}]}): operator keys read it, filtered and paged,
 * every bad parameter is refused, every other caller gets {@code forbidden} (rule {@code role}) with an audit line,
 * and operator keys run no actions unless they list them. The ledger is the in-memory one, seeded through
 * {@link Ledger}; each test uses key names of its own, so entries of other tests never match its filters.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class LedgerApiTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String SECOND = GuardedKeys.SECOND_ACCOUNT_SID;
    static final String OPERATOR = GuardedKeys.bearer("operator");
    static final String SERVICE = TestAccounts.bearer(TestAccounts.SERVICE_KEY);
    static final String PASS_THROUGH = TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID,
            TestAccounts.PASS_THROUGH_AUTH_TOKEN);
    static final String FROM = GuardedKeys.OUTBOUND_FROM;
    static final Set<String> ENTRY_FIELDS = Set.of("call_sid", "account_sid", "key", "surface", "to", "from", "url",
            "twiml", "idempotency_key", "request_id", "trace_id", "attempted_at", "outcome", "status", "events",
            "duration", "price", "price_unit", "answered_by", "recording_sids", "deliveries");
    static final AtomicInteger KEYS = new AtomicInteger();

    @Inject
    Ledger ledger;

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void resetTwilio() {
        TwilioStubs.reset(twilio);
    }

    /** A key name no other test uses. */
    static String freshKey() {
        return "seed-" + KEYS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    static String newSid() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "CA" + HexFormat.of().formatHex(bytes);
    }

    /** Seeds an attempt named by its idempotency key; its call SID (null for an outcome without one). */
    String seed(String name, String key, String account, String to, Instant at, String outcome, String... statuses) {
        String id = UUID.randomUUID().toString();
        ledger.attempted(new CallAttempt(id, account, key, "rest", to, FROM, "https://example.com/twiml", null, name,
                "req-" + name, "trace-" + name, at, false, null));
        String sid = outcome.equals("placed") ? newSid() : null;
        ledger.outcome(id, sid, outcome);
        for (int i = 0; i < statuses.length; i++) {
            ledger.event(sid, new StatusEvent(statuses[i], at.plusSeconds(i + 1), i, StatusEvent.Source.CALLBACK, null))
                    .await().indefinitely();
        }
        return sid;
    }

    static Response list(String authorization, String query) {
        return given().urlEncodingEnabled(false).header("Authorization", authorization).get("/v1/ledger/calls"
                + (query.isEmpty() ? "" : "?" + query));
    }

    static Response one(String authorization, String callSid) {
        return given().header("Authorization", authorization).get("/v1/ledger/calls/" + callSid);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The idempotency keys (the seeds' names) of a listing, in its order. */
    static List<String> names(String authorization, String query) {
        return list(authorization, query).then().statusCode(200).body("success", equalTo(true))
                .extract().jsonPath().getList("calls.idempotency_key");
    }

    static Set<String> fields(Map<String, ?> object) {
        return new TreeSet<>(object.keySet());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Operators read
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void anEntryHasEveryFieldAndItsTimelineInOrder() {
        String key = freshKey();
        Instant at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String sid = seed("full", key, ACCOUNT, "+14155550100", at, "placed");
        // Out of order, as callbacks arrive: the timeline is by time, then sequence number.
        ledger.event(sid, new StatusEvent("completed", at.plusSeconds(30), 3, StatusEvent.Source.CALLBACK, "t3")).await().indefinitely();
        ledger.event(sid, new StatusEvent("initiated", at.plusSeconds(1), 0, StatusEvent.Source.CALLBACK, "t0")).await().indefinitely();
        ledger.event(sid, new StatusEvent("ringing", at.plusSeconds(2), 1, StatusEvent.Source.CALLBACK, "t1")).await().indefinitely();
        ledger.details(sid, new CallDetails("27", "-0.0130", "USD", "human", List.of("RE" + sid.substring(2))));
        ledger.delivered(sid, new Delivery("status_callback", "completed", "delivered", 1, 200, at.plusSeconds(31), null));

        JsonPath body = one(OPERATOR, sid).then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        Set<String> expected = new TreeSet<>(ENTRY_FIELDS);
        expected.addAll(Set.of("success", "error"));
        assertEquals(expected, fields(body.getMap("$")));
        assertEquals(true, body.getBoolean("success"));
        assertNull(body.get("error"));
        assertEquals(sid, body.getString("call_sid"));
        assertEquals(ACCOUNT, body.getString("account_sid"));
        assertEquals(key, body.getString("key"));
        assertEquals("rest", body.getString("surface"));
        assertEquals("+14155550100", body.getString("to"), "numbers are in clear for operators");
        assertEquals(FROM, body.getString("from"));
        assertEquals("https://example.com/twiml", body.getString("url"));
        assertNull(body.get("twiml"));
        assertEquals("full", body.getString("idempotency_key"));
        assertEquals("req-full", body.getString("request_id"));
        assertEquals("trace-full", body.getString("trace_id"));
        assertEquals(at, Instant.parse(body.getString("attempted_at")));
        assertEquals("placed", body.getString("outcome"));
        assertEquals("completed", body.getString("status"));
        assertEquals(List.of("initiated", "ringing", "completed"), body.getList("events.status"));
        assertEquals(List.of(0, 1, 3), body.getList("events.sequence"));
        assertEquals(List.of("callback", "callback", "callback"), body.getList("events.source"));
        assertEquals(Set.of("status", "at", "sequence", "source"), fields(body.getMap("events[0]")));
        assertEquals(at.plusSeconds(1), Instant.parse(body.getString("events[0].at")));
        assertEquals("27", body.getString("duration"));
        assertEquals("-0.0130", body.getString("price"));
        assertEquals("USD", body.getString("price_unit"));
        assertEquals("human", body.getString("answered_by"));
        assertEquals(List.of("RE" + sid.substring(2)), body.getList("recording_sids"));
        assertEquals("delivered", body.getString("deliveries[0].outcome"));
        assertEquals(200, body.getInt("deliveries[0].http_status"));

        // The same entry in a listing, without the envelope's fields.
        JsonPath page = list(OPERATOR, "key=" + key).then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of("success", "error", "calls", "next_page_token"), fields(page.getMap("$")));
        assertEquals(ENTRY_FIELDS, fields(page.getMap("calls[0]")));
        assertEquals(body.getMap("events[2]"), page.getMap("calls[0].events[2]"));
        assertNull(page.get("next_page_token"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void eachFilterNarrowsTheListingNewestFirst() {
        String key = freshKey();
        String other = freshKey();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        seed("e1", key, ACCOUNT, "+14155550001", now.minusSeconds(3000), "placed", "initiated", "completed");
        seed("e2", key, SECOND, "+14155550002", now.minusSeconds(2400), "placed", "initiated", "ringing");
        seed("e3", key, ACCOUNT, "+14155550001", now.minusSeconds(1800), "outcome_unknown");
        seed("e4", other, ACCOUNT, "+14155550001", now.minusSeconds(1200), "placed", "completed");

        assertEquals(List.of("e3", "e2", "e1"), names(OPERATOR, "key=" + key));
        assertEquals(List.of("e4"), names(OPERATOR, "key=" + other));
        assertEquals(List.of("e2"), names(OPERATOR, "key=" + key + "&account_sid=" + SECOND));
        assertEquals(List.of("e3", "e1"), names(OPERATOR, "key=" + key + "&account_sid=" + ACCOUNT));
        assertEquals(List.of("e1"), names(OPERATOR, "key=" + key + "&status=completed"));
        assertEquals(List.of("e2"), names(OPERATOR, "key=" + key + "&status=ringing"));
        assertEquals(List.of("e3"), names(OPERATOR, "key=" + key + "&status=outcome_unknown"));
        assertEquals(List.of(), names(OPERATOR, "key=" + key + "&status=busy"));
        assertEquals(List.of("e3", "e1"), names(OPERATOR, "key=" + key + "&to=" + enc("+14155550001")));
        assertEquals(List.of("e2"), names(OPERATOR, "key=" + key + "&to=%2B14155550002"));
        String since = enc(now.minusSeconds(2700).toString());
        String until = enc(now.minusSeconds(2100).toString());
        assertEquals(List.of("e3", "e2"), names(OPERATOR, "key=" + key + "&since=" + since));
        assertEquals(List.of("e2", "e1"), names(OPERATOR, "key=" + key + "&until=" + until));
        assertEquals(List.of("e2"), names(OPERATOR, "key=" + key + "&since=" + since + "&until=" + until));
        // since inclusive, until exclusive; an offset is an instant too
        String exactly = enc(now.minusSeconds(2400).toString());
        assertEquals(List.of("e2"), names(OPERATOR, "key=" + key + "&since=" + exactly + "&until=" + enc(now.minusSeconds(1800).toString())));
        assertEquals(List.of("e3", "e2"), names(OPERATOR, "key=" + key + "&since="
                + enc(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now.minusSeconds(2700).atOffset(ZoneOffset.ofHours(2))))));
        // Filters together; and the entry without a call SID is listed too
        assertEquals(List.of("e3"), names(OPERATOR, "key=" + key + "&account_sid=" + ACCOUNT + "&to=%2B14155550001"
                + "&status=outcome_unknown&since=" + since));
        assertNull(list(OPERATOR, "key=" + key + "&status=outcome_unknown").then().extract().path("calls[0].call_sid"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void pagesThroughThreePagesWithTheToken() {
        String key = freshKey();
        Instant now = Instant.now();
        for (int i = 1; i <= 5; i++) {
            seed("p" + i, key, ACCOUNT, "+14155550003", now.minusSeconds(600 - i), "placed", "queued");
        }
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            Response page = list(OPERATOR, "key=" + key + "&page_size=2" + (token == null ? "" : "&page_token=" + token));
            page.then().statusCode(200);
            List<String> calls = page.jsonPath().getList("calls.idempotency_key");
            seen.addAll(calls);
            sizes.add(calls.size());
            token = page.jsonPath().getString("next_page_token");
            assertEquals(token, page.header("Next-Page-Token"), "the header and the body carry the same token");
            if (token != null) {
                assertTrue(page.header("Link").contains("page_token=" + token) && page.header("Link").endsWith("; rel=\"next\""),
                        page.header("Link"));
                assertTrue(page.header("Link").contains("page_size=2"), page.header("Link"));
            } else {
                assertNull(page.header("Link"));
            }
        } while (token != null && seen.size() < 10);
        assertEquals(List.of(2, 2, 1), sizes);
        assertEquals(List.of("p5", "p4", "p3", "p2", "p1"), seen);
        // Default page size 50: one page
        assertEquals(List.of("p5", "p4", "p3", "p2", "p1"), names(OPERATOR, "key=" + key));
    }

    @Test
    void anUnknownCallIsNotFoundAndAMalformedSidInvalid() {
        String unknown = newSid();
        one(OPERATOR, unknown).then().statusCode(404)
                .body("success", equalTo(false))
                .body("error", startsWith("not_found: the call ledger holds no call " + unknown))
                .body("error", containsString("Retrying will not help."));
        assertEquals(Set.of("success", "error"), fields(one(OPERATOR, unknown).jsonPath().getMap("$")));
        for (String malformed : List.of("CA123", "RE" + unknown.substring(2), unknown + "0", "ca" + unknown.substring(2))) {
            one(OPERATOR, malformed).then().statusCode(400)
                    .body("error", startsWith("invalid_request: 'call_sid' must be a Call SID: 'CA' followed by 32 hex digits"));
        }
        given().header("Authorization", OPERATOR).get("/v1/ledger/calls/" + unknown + "?wait_seconds=5").then()
                .statusCode(400).body("error", startsWith("invalid_request: this endpoint takes no query parameters"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("unknown parameter", "direction=inbound", "unknown query parameter 'direction'; accepted: "
                        + "account_sid, key, page_size, page_token, since, status, to, until"),
                Arguments.of("list_calls' parameter", "start_time_after=2024-05-01", "unknown query parameter 'start_time_after'"),
                Arguments.of("repeated", "key=a&key=b", "query parameter 'key' must be given once"),
                Arguments.of("account_sid malformed", "account_sid=AC123", "'account_sid' must be an Account SID: 'AC' followed by 32 hex digits"),
                Arguments.of("account_sid a call SID", "account_sid=" + newSid(), "'account_sid' must be an Account SID"),
                Arguments.of("account_sid empty", "account_sid=", "'account_sid' must be an Account SID"),
                Arguments.of("key with a space", "key=a%20b", "'key' must be a key's name"),
                Arguments.of("key too long", "key=" + "k".repeat(65), "'key' must be a key's name"),
                Arguments.of("key empty", "key=", "'key' must be a key's name"),
                Arguments.of("to not E.164", "to=4155551212", "'to' must be a phone number in E.164 format"),
                Arguments.of("to with an unencoded plus", "to=+14155551212", "'to' must be a phone number in E.164 format"),
                Arguments.of("to empty", "to=", "'to' must be a phone number in E.164 format"),
                Arguments.of("status unknown", "status=done", "'status' must be one of "),
                Arguments.of("status wrong case", "status=Completed", "'status' must be one of "),
                Arguments.of("status empty", "status=", "'status' must be one of "),
                Arguments.of("status control characters", "status=completed%0D%0AX:%20y", "'status' must not contain control characters"),
                Arguments.of("since not a time", "since=yesterday", "'since' must be an ISO-8601 instant with a time zone"),
                Arguments.of("since a date", "since=2024-05-01", "'since' must be an ISO-8601 instant"),
                Arguments.of("since without zone", "since=2024-05-01T10:00:00", "'since' must be an ISO-8601 instant"),
                Arguments.of("until impossible", "until=2024-02-30T00:00:00Z", "'until' must be an ISO-8601 instant"),
                Arguments.of("since equals until", "since=2024-05-01T00:00:00Z&until=2024-05-01T00:00:00Z", "'since' must be earlier than 'until'"),
                Arguments.of("since after until", "since=2024-05-02T00:00:00Z&until=2024-05-01T00:00:00Z", "'since' must be earlier than 'until'"),
                Arguments.of("page_size 0", "page_size=0", "'page_size' must be an integer from 1 to 200"),
                Arguments.of("page_size 201", "page_size=201", "'page_size' must be an integer from 1 to 200"),
                Arguments.of("page_size not a number", "page_size=ten", "'page_size' must be an integer from 1 to 200"),
                Arguments.of("page_size huge", "page_size=99999999999", "'page_size' must be an integer from 1 to 200"),
                Arguments.of("page_token garbage", "page_token=not%20a%20token!", "'page_token' is not a page token of the call ledger"),
                Arguments.of("page_token not the ledger's", "page_token=abc", "'page_token' is not a page token of the call ledger"),
                Arguments.of("page_token without a number", "page_token=cDEyYQ", "'page_token' is not a page token of the call ledger"),
                Arguments.of("page_token of list_calls", "page_token=eyJwIjoiMSJ9", "'page_token' is not a page token of the call ledger"),
                Arguments.of("page_token too long", "page_token=" + "A".repeat(600), "'page_token' is not a page token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void refusesEveryBadParameterNamingIt(String name, String query, String expected) {
        String error = list(OPERATOR, query).then().statusCode(400).contentType(ContentType.JSON)
                .body("success", equalTo(false)).extract().path("error");
        assertTrue(error.startsWith("invalid_request: " + expected) || (error.startsWith("invalid_request: ")
                && error.contains(expected)), error);
        assertTrue(error.endsWith("Fix the request; retrying it as is will not help."), error);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Nobody else reads; every read and refusal is audited
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void agentsUnnamedKeysAndPassThroughAreForbiddenWithAnAuditLine() {
        String sid = seed("secret-call", freshKey(), ACCOUNT, "+14155550004", Instant.now(), "placed", "queued");
        record Agent(String authorization, String name, String change) {
        }
        List<Agent> agents = List.of(
                new Agent(GuardedKeys.bearer("reporting"), "key 'reporting'",
                        "set voicegate.access.keys.reporting.role to operator, or use an operator key"),
                new Agent(GuardedKeys.bearer("outbound"), "key 'outbound'",
                        "set voicegate.access.keys.outbound.role to operator, or use an operator key"),
                new Agent(SERVICE, "service key SERVICE_API_KEYS[1]",
                        "use a named key whose voicegate.access.keys.<name>.role is operator"),
                new Agent(PASS_THROUGH, "the Basic-auth credentials",
                        "use a named key whose voicegate.access.keys.<name>.role is operator"));
        try (LogCapture logs = LogCapture.install()) {
            for (Agent agent : agents) {
                String expected = "forbidden: only operator keys may read the call ledger; the role of " + agent.name()
                        + " is agent (rule 'role'). To change it, " + agent.change() + ". Retrying will not help.";
                for (Response response : List.of(list(agent.authorization(), "key=x"), list(agent.authorization(), ""),
                        list(agent.authorization(), "page_size=0&bad=1"), one(agent.authorization(), sid),
                        one(agent.authorization(), "not-a-sid"))) {
                    String body = response.then().statusCode(403).contentType(ContentType.JSON).extract().asString();
                    assertEquals(new JsonObject().put("success", false).put("error", expected), new JsonObject(body));
                }
            }
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(agents.size() * 5, audit.size(), String.join("\n", audit));
            for (int i = 0; i < agents.size(); i++) {
                String key = i == 2 ? "SERVICE_API_KEYS[1]" : i == 3 ? "pass-through" : agents.get(i).name().split("'")[1];
                for (int j = 0; j < 5; j++) {
                    String action = j < 3 ? "list_ledger_calls" : "get_ledger_call";
                    assertTrue(audit.get(i * 5 + j).contains("voicegate.audit: {\"audit\":true,\"action\":\"" + action
                            + "\",\"key\":\"" + key + "\",\"target\":null,\"decision\":\"deny\",\"rule\":\"role\"}"),
                            audit.get(i * 5 + j));
                }
            }
        }
        given().get("/v1/ledger/calls").then().statusCode(401).body("error", startsWith("unauthorized: "));
        given().get("/v1/ledger/calls/" + sid).then().statusCode(401).body("error", startsWith("unauthorized: "));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("voicegate_policy_denials_total{key=\"reporting\",rule=\"role\"}"), metrics);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void everyOperatorReadLeavesOneAuditLineWithTheNumberMasked() {
        String key = freshKey();
        String sid = seed("audited-read", key, ACCOUNT, "+14155550005", Instant.now(), "placed", "queued");
        String unknown = newSid();
        try (LogCapture logs = LogCapture.install()) {
            list(OPERATOR, "key=" + key + "&to=%2B14155550005&page_size=5").then().statusCode(200);
            one(OPERATOR, sid).then().statusCode(200);
            one(OPERATOR, unknown).then().statusCode(404);
            list(OPERATOR, "page_size=0").then().statusCode(400);

            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(3, audit.size(), "one line per read, none for a refused parameter: " + String.join("\n", audit));
            assertTrue(audit.get(0).contains("voicegate.audit: {\"audit\":true,\"action\":\"list_ledger_calls\","
                    + "\"key\":\"operator\",\"target\":\"calls?page_size=5&key=" + key + "&to=***0005\","
                    + "\"decision\":\"allow\",\"rule\":null}"), audit.get(0));
            assertTrue(audit.get(1).contains("voicegate.audit: {\"audit\":true,\"action\":\"get_ledger_call\","
                    + "\"key\":\"operator\",\"target\":\"" + sid + "\",\"decision\":\"allow\",\"rule\":null}"), audit.get(1));
            assertTrue(audit.get(2).contains("\"target\":\"" + unknown + "\""), audit.get(2));
            for (String line : logs.lines()) {
                assertFalse(line.contains("14155550005"), "a number in clear in the logs: " + line);
            }
        }
    }

    @Test
    void anOperatorLimitedToAnAccountReadsOnlyThatAccount() {
        String key = freshKey();
        String first = seed("in-first", key, ACCOUNT, "+14155550006", Instant.now().minusSeconds(2), "placed", "queued");
        String second = seed("in-second", key, SECOND, "+14155550006", Instant.now().minusSeconds(1), "placed", "queued");
        String limited = GuardedKeys.bearer("operator-second");
        assertEquals(List.of("in-second"), names(limited, "key=" + key + "&account_sid=" + SECOND));
        one(limited, second).then().statusCode(200).body("call_sid", equalTo(second));
        list(limited, "key=" + key).then().statusCode(403).body("error", equalTo("forbidden: key 'operator-second' may "
                + "use only " + SECOND + ", not every account (rule 'accounts'). To change it, name one of them in "
                + "'account_sid', or remove voicegate.access.keys.operator-second.accounts. Retrying will not help."));
        list(limited, "account_sid=" + ACCOUNT).then().statusCode(403).body("error", startsWith("forbidden: key "
                + "'operator-second' may not use account " + ACCOUNT + " (rule 'accounts')"));
        one(limited, first).then().statusCode(403).body("error", startsWith("forbidden: key 'operator-second' may not "
                + "use account " + ACCOUNT + " (rule 'accounts')"));
        // The unlimited operator reads both.
        assertEquals(List.of("in-second", "in-first"), names(OPERATOR, "key=" + key));
    }

    @Test
    void aLedgerThatCannotAnswerIsUpstreamUnavailable() {
        Ledger down = (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] { Ledger.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "list", "find", "findAll", "event" -> Uni.createFrom().failure(
                            new LedgerUnavailableException("Redis is unreachable", null));
                    case "kind" -> "redis";
                    case "toString" -> "down";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        QuarkusMock.installMockForType(down, Ledger.class);
        for (Response response : List.of(list(OPERATOR, ""), one(OPERATOR, newSid()))) {
            response.then().statusCode(503).body("success", equalTo(false)).body("error", equalTo(
                    "upstream_unavailable: the call ledger's store is unreachable; nothing was read. Retrying later may help."));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Operator keys run no actions unless they list them
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void anOperatorKeyWithoutActionsRunsNone() {
        String makeCall = "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155551212\",\"from_\":\"" + FROM
                + "\",\"url\":\"https://example.com/twiml\"}";
        String expected = "forbidden: the role of key 'operator' is operator: it reads the call ledger and runs no "
                + "actions, not make_call (rule 'role'). To change it, list the actions it may run in "
                + "voicegate.access.keys.operator.actions, or use an agent key. Retrying will not help.";
        try (LogCapture logs = LogCapture.install()) {
            given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body(makeCall)
                    .post("/v1/actions/make_call").then().statusCode(200).body("error", equalTo(expected));
            given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body(makeCall)
                    .post("/v1/accounts/" + ACCOUNT + "/calls").then().statusCode(403).body("error", equalTo(expected));
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(2, audit.size(), String.join("\n", audit));
            assertTrue(audit.get(0).contains("{\"audit\":true,\"action\":\"make_call\",\"key\":\"operator\",\"account_sid\":\""
                    + ACCOUNT + "\",\"to\":\"***1212\",\"from\":\"***2661\",\"decision\":\"deny\",\"rule\":\"role\","
                    + "\"replay\":false,\"call_sid\":null,\"outcome\":\"forbidden\"}"), audit.get(0));
        }
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\"}").post("/v1/actions/list_calls").then()
                .body("error", startsWith("forbidden: the role of key 'operator' is operator: it reads the call ledger "
                        + "and runs no actions, not list_calls (rule 'role')"));
        // MCP offers it no tool; /v1/me says so.
        assertEquals(List.of(), mcpTools(OPERATOR));
        JsonObject answer = McpClients.messages(McpClients.request(OPERATOR)
                .body(McpClients.toolsCall(2, "make_call", makeCall)).post("/mcp")).get(0);
        assertEquals(expected, answer.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
        given().header("Authorization", OPERATOR).get("/v1/me").then().statusCode(200)
                .body("name", equalTo("operator")).body("role", equalTo("operator")).body("policy.actions", equalTo(List.of()));
        given().header("Authorization", GuardedKeys.bearer("reporting")).get("/v1/me").then().body("role", equalTo("agent"));
        given().header("Authorization", SERVICE).get("/v1/me").then().body("role", equalTo("agent"));
        given().header("Authorization", PASS_THROUGH).get("/v1/me").then().body("role", equalTo("agent"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anOperatorKeyRunsTheActionsItLists() {
        twilio.stubFor(get(urlPathEqualTo(TwilioStubs.CALLS)).willReturn(fixture(200, "calls-page-last.json")));
        String lister = GuardedKeys.bearer("operator-lister");
        given().header("Authorization", lister).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\",\"include_recordings\":false}").post("/v1/actions/list_calls")
                .then().statusCode(200).body("success", equalTo(true));
        given().header("Authorization", lister).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155551212\",\"from_\":\"" + FROM
                        + "\",\"url\":\"https://example.com/twiml\"}").post("/v1/actions/make_call")
                .then().body("error", startsWith("forbidden: key 'operator-lister' may not use make_call; it may use "
                        + "list_calls (rule 'actions')"));
        assertEquals(List.of("list_calls"), mcpTools(lister));
        list(lister, "page_size=1").then().statusCode(200).body("success", equalTo(true));
        given().header("Authorization", lister).get("/v1/me").then().body("role", equalTo("operator"));
    }

    static List<String> mcpTools(String authorization) {
        return McpClients.messages(McpClients.request(authorization)
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp")).get(0)
                .getJsonObject("result").getJsonArray("tools").stream()
                .map(tool -> ((JsonObject) tool).getString("name")).toList();
    }
}
