package dev.voicegate.callback;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.CallbacksOn;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.twilio.TwilioSignature;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Two replicas of the packaged service on one Redis, with PUBLIC_URL: Twilio's callback reaches replica B, and the
 * get_call waiting on replica A answers with the final status (Redis pub/sub), without polling Twilio for it.
 */
@QuarkusIntegrationTest
@WithTestResource(CallbacksOn.class)
class CallbacksAcrossReplicasIT extends RedisBackedTest {

    static final String TO = "+14155551212";

    PackagedApp second;

    @BeforeEach
    void startSecondReplica() {
        second = secondReplica("callbacks-replica", Map.of("voicegate.callbacks.public-url", CallbacksOn.PUBLIC_URL));
    }

    @AfterEach
    void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aCallbackOnReplicaBWakesTheGetCallWaitingOnReplicaA() {
        String sid = TwilioCalls.newSid();
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(TwilioCalls.created(sid, TO)));
        // Twilio's resource still shows the call live: only the callback can end the wait early.
        twilio.stubFor(get(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .willReturn(TwilioStubs.json(TwilioCalls.call(sid, TO, "in-progress"))));
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"" + TO + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(201);

        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls/" + sid + "?include_recordings=false&wait_seconds=50"));
        await().until(() -> twilio.countRequestsMatching(getRequestedFor(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .build()).getCount() >= 1);

        Map<String, List<String>> fields = new TreeMap<>(Map.of("AccountSid", List.of(TestAccounts.ACCOUNT_SID),
                "CallSid", List.of(sid), "CallStatus", List.of("completed"), "SequenceNumber", List.of("3"),
                "CallbackSource", List.of("call-progress-events"), "To", List.of(TO), "From", List.of("+15017122661"),
                "CallDuration", List.of("31")));
        String url = CallbacksOn.PUBLIC_URL + "/twilio/callbacks/status";
        var callback = given().port(second.port()).contentType(ContentType.URLENC)
                .header(TwilioSignature.HEADER, TwilioSignature.sign(TestAccounts.AUTH_TOKEN, url, fields));
        fields.forEach((name, values) -> callback.formParam(name, values.get(0)));
        callback.post("/twilio/callbacks/status").then().statusCode(200);

        Response answer = waiting.join();
        answer.then().statusCode(200).body("status", equalTo("completed"));
        // The first fetch and the one at the end; at most one safety poll between them (CallbacksOn: every 3 s).
        int fetches = twilio.countRequestsMatching(getRequestedFor(urlEqualTo(ACCOUNT + "/Calls/" + sid + ".json"))
                .build()).getCount();
        org.junit.jupiter.api.Assertions.assertTrue(fetches >= 2 && fetches <= 3, "fetches: " + fetches);
    }
}
