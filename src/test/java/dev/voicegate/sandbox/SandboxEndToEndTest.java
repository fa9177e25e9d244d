package dev.voicegate.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.ContractSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * What the README's run command offers: the three actions through the real REST client, over HTTP,
 * against the embedded sandbox, with the sandbox's own credentials and service key.
 */
@QuarkusTest
@TestProfile(SandboxEndToEndTest.RunCommandProfile.class)
class SandboxEndToEndTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String KEY = "Bearer sandbox-service-key";

    /** The dev/sandbox profile's settings, on the test's random port. */
    public static class RunCommandProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "voicegate.sandbox.enabled", "true",
                    "quarkus.rest-client.twilio.url", "http://localhost:${quarkus.http.test-port}/sandbox",
                    "voicegate.twilio.account-sid", ACCOUNT,
                    "voicegate.twilio.auth-token", "sandbox-auth-token",
                    "voicegate.access.service-api-keys", "sandbox-service-key");
        }
    }

    @Inject
    SandboxStore store;

    private final SandboxStoreTest.MutableClock clock = new SandboxStoreTest.MutableClock(SandboxStoreTest.T0);

    @BeforeEach
    void useTestClock() {
        store.setClock(clock);
    }

    @AfterEach
    void useRealClock() {
        store.setClock(Clock.systemUTC());
    }

    static String action(String name, String json) {
        String body = given().header("Authorization", KEY).contentType(ContentType.JSON).body(json)
                .post("/v1/actions/" + name).then().statusCode(200).extract().asString();
        ContractSchemas.assertValidOutput(name, body);
        return body;
    }

    @Test
    void placesARecordedCallThenListsItAndFetchesItsRecording() {
        String placed = action("make_call", "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155550123\","
                + "\"from_\":\"+15005550006\",\"twiml\":\"<Response><Say>Hi</Say></Response>\",\"record\":true}");
        String callSid = io.restassured.path.json.JsonPath.from(placed).getString("call_sid");
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155550123\"}")
                .post("/v1/actions/list_calls").then()
                .body("calls[0].call_sid", equalTo(callSid))
                .body("calls[0].status", equalTo("queued"))
                .body("calls[0].recording_sids", hasSize(0));

        clock.advance(Duration.ofSeconds(6));

        String listed = action("list_calls", "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155550123\"}");
        io.restassured.path.json.JsonPath list = io.restassured.path.json.JsonPath.from(listed);
        List<String> recordings = list.getList("calls[0].recording_sids");
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155550123\"}")
                .post("/v1/actions/list_calls").then()
                .body("calls.call_sid", contains(callSid))
                .body("calls[0].status", equalTo("completed"))
                .body("calls[0].duration", equalTo(3))
                .body("calls[0].recording_sids", hasSize(1));

        action("get_recording", "{\"account_sid\":\"" + ACCOUNT + "\",\"recording_sid\":\"" + recordings.get(0) + "\"}");
        given().header("Authorization", KEY).get("/v1/accounts/" + ACCOUNT + "/recordings/" + recordings.get(0))
                .then().statusCode(200)
                .body("call_sid", equalTo(callSid))
                .body("media_url", startsWith("http://localhost:"))
                .body("transcription_status", equalTo("completed"))
                .body("transcription_text", equalTo("Hello from the Voicegate sandbox."));
    }

    @Test
    void twiliosTestNumbersBehaveAsOnTwilio() {
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+15005550002\",\"from_\":\"+15005550006\","
                        + "\"url\":\"https://example.com/t\"}")
                .post("/v1/actions/make_call").then()
                .body("success", equalTo(false))
                .body("error", startsWith("twilio_error: Twilio error 21214"));
        given().header("Authorization", KEY).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155550123\",\"from_\":\"+14155550000\","
                        + "\"url\":\"https://example.com/t\"}")
                .post("/v1/actions/make_call").then()
                .body("error", startsWith("twilio_error: Twilio error 21210"));
    }
}
