package dev.voicegate.dnc;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * The do-not-call list in Redis: shared entries keyed by the number's hash (no key, field or member holds a number),
 * paged in full, 503 for the operator endpoints while Redis is down. The Redis-backed suites run with
 * {@code fail-closed=false} (RedisServer), so a make_call then goes on with a warning; the fail-closed default is
 * DoNotCallApiTest's.
 */
@QuarkusTest
@WithTestResource(GuardedKeys.class)
class RedisDoNotCallTest extends RedisBackedTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String OPERATOR = GuardedKeys.bearer("operator");
    static final String PATH = "/v1/admin/do-not-call/";

    /** An Instance: the client is inactive in the other suites' runs, which have no Redis. */
    @Inject
    Instance<RedisDataSource> redisClient;

    static ValidatableResponse makeCall(String to) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"" + to + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + ACCOUNT + "/calls").then();
    }

    @Test
    void entriesAreSharedInRedisUnderHashesOnly() {
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"r" + i + "\"}")
                    .put(PATH + "+1202555019" + i).then().statusCode(200).body("created", equalTo(true));
        }
        given().header("Authorization", OPERATOR).get(PATH + "+12025550192").then().statusCode(200)
                .body("entry.reason", equalTo("r2")).body("entry.added_by", equalTo("operator"));
        makeCall("+12025550192").statusCode(403).body("error", startsWith("forbidden: 'to' ***0192 is on the do-not-call"));
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS)));

        RedisDataSource client = redisClient.get();
        List<String> names = new ArrayList<>();
        client.execute("KEYS", "*").forEach(key -> names.add(key.toString()));
        client.execute("HKEYS", "voicegate:{dnc}:entries").forEach(field -> names.add(field.toString()));
        client.execute("ZRANGE", "voicegate:{dnc}:index", "0", "-1").forEach(member -> names.add(member.toString()));
        assertTrue(names.contains("voicegate:{dnc}:entries") && names.contains("voicegate:{dnc}:index"), names.toString());
        names.forEach(name -> assertFalse(name.contains("555019"), name));

        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            var request = given().header("Authorization", OPERATOR).queryParam("page_size", 2);
            if (token != null) {
                request.queryParam("page_token", token);
            }
            JsonPath page = request.get("/v1/admin/do-not-call").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("entries.number"));
            token = page.getString("next_page_token");
        } while (token != null && seen.size() < 100);
        for (int i = 0; i < 5; i++) {
            assertTrue(seen.contains("+1202555019" + i), seen.toString());
        }

        given().header("Authorization", OPERATOR).delete(PATH + "+12025550192").then().statusCode(200)
                .body("removed", equalTo(true));
        assertFalse(client.execute("ZRANGE", "voicegate:{dnc}:index", "0", "-1").toString()
                .contains(DoNotCall.hash("+12025550192")));
        makeCall("+12025550192").statusCode(201);

        // Each change is a control event in the Redis ledger, the number masked there too.
        JsonPath controls = given().header("Authorization", OPERATOR).get("/v1/ledger/controls?page_size=2").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("remove_do_not_call", "add_do_not_call"), controls.getList("controls.action"));
        assertEquals(List.of("***0192", "***0194"), controls.getList("controls.target"));
        assertEquals("r4", controls.getString("controls[1].reason"));
        client.execute("ZRANGE", "voicegate:ledger:{controls}", "0", "-1")
                .forEach(member -> assertFalse(member.toString().contains("555019"), member.toString()));
    }

    /** add_do_not_call in Redis: a new number is listed under its hash; a listed one keeps the operator's entry. */
    @Test
    void anAgentsAddIsSharedAndNeverReplacesAnEntry() {
        String agent = GuardedKeys.bearer("listener");
        String body = "{\"account_sid\":\"" + ACCOUNT + "\",\"number\":\"%s\",\"reason\":\"%s\"}";
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"complaint\"}")
                .put(PATH + "+12025550181").then().statusCode(200).body("created", equalTo(true));
        given().header("Authorization", agent).contentType(ContentType.JSON)
                .body(String.format(body, "+12025550181", "asked again")).post("/v1/actions/add_do_not_call").then()
                .statusCode(200).body("success", equalTo(true)).body("added", equalTo(false));
        given().header("Authorization", OPERATOR).get(PATH + "+12025550181").then().statusCode(200)
                .body("entry.reason", equalTo("complaint")).body("entry.added_by", equalTo("operator"));

        given().header("Authorization", agent).contentType(ContentType.JSON)
                .body(String.format(body, "+12025550182", "asked")).post("/v1/actions/add_do_not_call").then()
                .statusCode(200).body("added", equalTo(true)).body("added_by", equalTo("listener"));
        RedisDataSource client = redisClient.get();
        assertTrue(client.execute("ZRANGE", "voicegate:{dnc}:index", "0", "-1").toString()
                .contains(DoNotCall.hash("+12025550182")));
        assertTrue(client.execute("HGET", "voicegate:{dnc}:entries", DoNotCall.hash("+12025550182")).toString()
                .contains("\"added_by\":\"listener\""));
        makeCall("+12025550182").statusCode(403).body("error", startsWith("forbidden: 'to' ***0182 is on the do-not-call"));
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void whileRedisIsDownTheOperatorEndpointsAnswer503() {
        redis.outage(() -> {
            try (LogCapture logs = LogCapture.install()) {
                given().header("Authorization", OPERATOR).put(PATH + "+12025550199").then().statusCode(503)
                        .body("error", startsWith("upstream_unavailable: the do-not-call list's store (Redis) is "
                                + "unreachable"));
                given().header("Authorization", OPERATOR).get("/v1/admin/do-not-call").then().statusCode(503);
                given().header("Authorization", GuardedKeys.bearer("listener")).contentType(ContentType.JSON)
                        .body("{\"number\":\"+12025550198\"}").post("/v1/accounts/" + ACCOUNT + "/do-not-call").then()
                        .statusCode(503).body("error", startsWith("upstream_unavailable: the do-not-call list's store "
                                + "(Redis) is unreachable; nothing was added"));
                // fail-closed=false here (see the class comment): the call goes on, with a warning naming no number.
                makeCall("+12025550199").statusCode(201);
                String all = String.join("\n", logs.lines());
                assertTrue(all.contains("The do-not-call list (redis) is unreachable: a make_call to ***0199 goes on "
                        + "unchecked"), all);
                assertFalse(all.contains("5550199"), all);
            }
        });
        awaitReady();
        assertEquals(1, twilio.findAll(postRequestedFor(urlEqualTo(CALLS))).size());
    }
}
