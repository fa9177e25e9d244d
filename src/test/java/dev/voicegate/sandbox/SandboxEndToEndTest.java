package dev.voicegate.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.ContractSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What the README's run command offers: the actions through the real REST client, over HTTP,
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
                    "voicegate.access.service-api-keys", "sandbox-service-key",
                    // get_call polls the sandbox often, so a wait ends soon after the test moves the clock.
                    "voicegate.get-call.first-poll", "50ms",
                    "voicegate.get-call.max-poll", "200ms");
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

    static String placeCall(String to, String extra) {
        String placed = action("make_call", "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + to + "\","
                + "\"from_\":\"+15005550006\",\"twiml\":\"<Response><Say>Hi</Say></Response>\"" + extra + "}");
        return JsonPath.from(placed).getString("call_sid");
    }

    static JsonPath getCall(String callSid, String extra) {
        return JsonPath.from(action("get_call", "{\"account_sid\":\"" + ACCOUNT + "\",\"call_sid\":\"" + callSid
                + "\"" + extra + "}"));
    }

    @Test
    void getCallWaitsForARecordedCallToEndAndGivesItsRecording() throws Exception {
        String callSid = placeCall("+14155550140", ",\"record\":true");

        CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(() -> getCall(callSid, ",\"wait_seconds\":30"));
        // The call is queued and the clock stands still: the answer waits.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> !waiting.isDone());
        clock.advance(Duration.ofSeconds(6));
        JsonPath done = waiting.get(10, TimeUnit.SECONDS);

        assertTrue(done.getBoolean("success"));
        assertNull(done.get("error"));
        assertEquals(callSid, done.getString("call_sid"));
        assertEquals("completed", done.getString("status"));
        assertTrue(done.getBoolean("final"));
        assertEquals(3, done.getInt("duration"));
        assertEquals("+14155550140", done.getString("to"));
        assertEquals("+15005550006", done.getString("from_"));
        assertNull(done.get("answered_by"), "no machine detection asked for");
        List<String> recordings = done.getList("recording_sids");
        assertEquals(1, recordings.size(), done.prettify());
        given().header("Authorization", KEY).get("/v1/accounts/" + ACCOUNT + "/recordings/" + recordings.get(0))
                .then().statusCode(200).body("call_sid", equalTo(callSid)).body("status", equalTo("completed"));
    }

    static JsonPath endCall(String callSid) {
        return JsonPath.from(action("end_call", "{\"account_sid\":\"" + ACCOUNT + "\",\"call_sid\":\"" + callSid
                + "\"}"));
    }

    @Test
    void endCallHangsUpASandboxCallOnceThenSaysItHadEnded() {
        String ringing = placeCall("+14155550142", "");
        String answered = placeCall("+14155550143", ",\"record\":true");
        clock.advance(Duration.ofMillis(1500));

        JsonPath canceled = endCall(ringing);
        assertTrue(canceled.getBoolean("success"), canceled.prettify());
        assertTrue(canceled.getBoolean("ended_by_this_request"));
        assertEquals("canceled", canceled.getString("status"));
        assertTrue(canceled.getBoolean("final"));

        clock.advance(Duration.ofMillis(1500));
        JsonPath completed = endCall(answered);
        assertTrue(completed.getBoolean("success"), completed.prettify());
        assertTrue(completed.getBoolean("ended_by_this_request"));
        assertEquals("completed", completed.getString("status"));
        assertEquals(1, completed.getInt("duration"));

        JsonPath again = endCall(answered);
        assertTrue(again.getBoolean("success"), again.prettify());
        assertFalse(again.getBoolean("ended_by_this_request"));
        assertEquals("completed", again.getString("status"));
        assertFalse(endCall(ringing).getBoolean("ended_by_this_request"));
        // The REST route, as the README's "Try it" runs it: no body.
        given().header("Authorization", KEY).post("/v1/accounts/" + ACCOUNT + "/calls/" + ringing + "/end").then()
                .statusCode(200).body("success", equalTo(true)).body("status", equalTo("canceled"))
                .body("ended_by_this_request", equalTo(false));
        clock.advance(Duration.ofSeconds(5));
        JsonPath fetched = getCall(answered, "");
        assertEquals("completed", fetched.getString("status"));
        assertEquals(1, fetched.getInt("duration"), "the hang-up's duration, not the script's");
        assertEquals(1, fetched.getList("recording_sids").size(), fetched.prettify());
    }

    @Test
    void magicNumbersLetAnAgentTryEveryOutcome() {
        String busy = placeCall("+15005550005", ",\"record\":true");
        String noAnswer = placeCall("+15005550007", "");
        String machine = placeCall("+15005550008", ",\"machine_detection\":\"Enable\"");
        String human = placeCall("+14155550141", ",\"machine_detection\":\"Enable\"");
        JsonPath ringing = getCall(busy, "");
        assertEquals("queued", ringing.getString("status"));
        assertFalse(ringing.getBoolean("final"));

        clock.advance(Duration.ofSeconds(6));

        JsonPath busyCall = getCall(busy, "");
        assertEquals("busy", busyCall.getString("status"));
        assertTrue(busyCall.getBoolean("final"));
        assertNull(busyCall.get("duration"));
        assertEquals(List.of(), busyCall.getList("recording_sids"), "a busy call has no recording");
        JsonPath unanswered = getCall(noAnswer, ",\"include_recordings\":false");
        assertEquals("no-answer", unanswered.getString("status"));
        assertTrue(unanswered.getBoolean("final"));
        assertFalse(unanswered.getMap("$").containsKey("recording_sids"));
        assertEquals("machine_start", getCall(machine, "").getString("answered_by"));
        given().header("Authorization", KEY).get("/v1/accounts/" + ACCOUNT + "/calls/" + human + "?wait_seconds=5")
                .then().statusCode(200).body("status", equalTo("completed")).body("final", equalTo(true))
                .body("answered_by", equalTo("human"));
    }
}
