package dev.voicegate.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The sandbox over real HTTP, as the service's Twilio client reaches it. */
@QuarkusTest
@TestProfile(SandboxProfile.class)
class SandboxRoutesTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "sandbox-auth-token";
    static final String BASE = "/sandbox/2010-04-01/Accounts/" + ACCOUNT;

    @Inject
    SandboxStore store;

    private final SandboxStoreTest.MutableClock clock = new SandboxStoreTest.MutableClock(SandboxStoreTest.T0);

    @BeforeEach
    void controlTime() {
        store.setClock(clock);
    }

    @AfterEach
    void releaseTime() {
        store.setClock(Clock.systemUTC());
    }

    private static RequestSpecification twilio() {
        return given().auth().preemptive().basic(ACCOUNT, TOKEN);
    }

    /** Encoded by hand, as Twilio's SDKs do: a raw {@code +} in a form body would decode to a space. */
    private static JsonPath createCall(String body) {
        return twilio().contentType(ContentType.URLENC).body(body)
                .when().post(BASE + "/Calls.json")
                .then().statusCode(201).contentType(ContentType.JSON).extract().jsonPath();
    }

    @Test
    void createsACallFromAFormEncodedBody() {
        JsonPath call = createCall("To=%2B14155550110&From=%2B15005550006&Url=https%3A%2F%2Fexample.com%2Ftwiml");

        assertEquals("queued", call.getString("status"));
        assertEquals("+14155550110", call.getString("to"));
        assertEquals("(415) 555-0110", call.getString("to_formatted"));
        assertEquals("+15005550006", call.getString("from"));
        assertEquals(ACCOUNT, call.getString("account_sid"));
        assertEquals("outbound-api", call.getString("direction"));
        assertEquals("2010-04-01", call.getString("api_version"));
        assertEquals("Sat, 15 Jun 2030 12:00:00 +0000", call.getString("date_created"));
        assertNull(call.get("price"));
        assertNull(call.get("duration"));
        String sid = call.getString("sid");
        assertEquals(BASE.substring("/sandbox".length()) + "/Calls/" + sid + ".json", call.getString("uri"));
        assertEquals(BASE.substring("/sandbox".length()) + "/Calls/" + sid + "/Recordings.json",
                call.getString("subresource_uris.recordings"));
    }

    @Test
    void refusesTwilioTestNumbersWithTwilioErrorBodies() {
        twilio().formParam("To", "+15005550006").formParam("From", "+15005550001").formParam("Url", "https://e.com")
                .when().post(BASE + "/Calls.json")
                .then().statusCode(400).body("code", equalTo(21212)).body("status", equalTo(400))
                .body("more_info", equalTo("https://www.twilio.com/docs/errors/21212"));
        twilio().formParam("To", "+15005550006").formParam("From", "+14155555678").formParam("Url", "https://e.com")
                .when().post(BASE + "/Calls.json")
                .then().statusCode(400).body("code", equalTo(21210))
                .body("message", startsWith("The source phone number provided, ***5678, is not yet verified"));
        twilio().formParam("To", "+15005550002").formParam("From", "+15005550006").formParam("Twiml", "<Response/>")
                .when().post(BASE + "/Calls.json")
                .then().statusCode(400).body("code", equalTo(21214));
        twilio().formParam("From", "+15005550006").formParam("Url", "https://e.com")
                .when().post(BASE + "/Calls.json")
                .then().statusCode(400).body("code", equalTo(21201));
        twilio().formParam("To", "+15005550006").formParam("From", "+15005550006")
                .when().post(BASE + "/Calls.json")
                .then().statusCode(400).body("code", equalTo(21205)).body("message", equalTo("Url parameter is required"));
    }

    @Test
    void requiresTheAccountCredentials() {
        given().when().get(BASE + "/Calls.json")
                .then().statusCode(401).body("code", equalTo(20003)).body("message", equalTo("Authenticate"))
                .body("more_info", equalTo("https://www.twilio.com/docs/errors/20003")).body("status", equalTo(401));
        given().auth().preemptive().basic(ACCOUNT, "wrong").when().get(BASE + "/Calls.json")
                .then().statusCode(401);
        String other = "ACffffffffffffffffffffffffffffffff";
        given().auth().preemptive().basic(other, TOKEN).when().get("/sandbox/2010-04-01/Accounts/" + other + "/Calls.json")
                .then().statusCode(401);
        given().auth().preemptive().basic("SK0123456789abcdef0123456789abcdef", TOKEN).when().get(BASE + "/Calls.json")
                .then().statusCode(200);
    }

    @Test
    void listsNewestFirstWithEncodedFiltersAndFollowsNextPageUri() {
        String first = createCall("To=%2B14155550120&From=%2B15005550006&Twiml=%3CResponse%2F%3E").getString("sid");
        String second = createCall("To=%2B14155550120&From=%2B15005550006&Twiml=%3CResponse%2F%3E").getString("sid");
        String third = createCall("To=%2B14155550120&From=%2B15005550006&Twiml=%3CResponse%2F%3E").getString("sid");

        JsonPath page0 = twilio().urlEncodingEnabled(false)
                .when().get(BASE + "/Calls.json?To=%2B14155550120&StartTime%3E=2030-06-15&PageSize=2")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(java.util.List.of(third, second), page0.getList("calls.sid"));
        assertEquals(0, page0.getInt("page"));
        assertEquals(2, page0.getInt("page_size"));
        assertEquals(0, page0.getInt("start"));
        assertEquals(1, page0.getInt("end"));
        assertNull(page0.get("previous_page_uri"));
        String next = page0.getString("next_page_uri");
        assertEquals(BASE.substring("/sandbox".length())
                + "/Calls.json?To=%2B14155550120&StartTime%3E=2030-06-15&PageSize=2&Page=1&PageToken=PA" + second, next);

        twilio().urlEncodingEnabled(false).when().get("/sandbox" + next)
                .then().statusCode(200).body("calls.sid", contains(first)).body("next_page_uri", nullValue())
                .body("previous_page_uri", not(nullValue()));

        twilio().urlEncodingEnabled(false).when().get(BASE + "/Calls.json?To=%2B14155550120&StartTime%3E=2030-06-16")
                .then().statusCode(200).body("calls", empty());
        twilio().urlEncodingEnabled(false).when().get(BASE + "/Calls.json?StartTime%3C=yesterday")
                .then().statusCode(400).body("code", equalTo(20001));
    }

    @Test
    void recordedCallGetsARecordingWithMediaAndTranscriptionOnceCompleted() {
        String callSid = createCall("To=%2B14155550130&From=%2B15005550006&Url=https%3A%2F%2Fe.com&Record=true")
                .getString("sid");
        twilio().when().get(BASE + "/Calls/" + callSid + "/Recordings.json")
                .then().statusCode(200).body("recordings", empty());

        clock.advance(Duration.ofSeconds(5));

        twilio().when().get(BASE + "/Calls/" + callSid + ".json")
                .then().statusCode(200).body("status", equalTo("completed")).body("duration", equalTo("3"))
                .body("price", equalTo("-0.01300")).body("end_time", equalTo("Sat, 15 Jun 2030 12:00:05 +0000"));
        String recordingSid = twilio().when().get(BASE + "/Calls/" + callSid + "/Recordings.json")
                .then().statusCode(200).body("recordings", hasSize(1)).body("recordings[0].track", equalTo("both"))
                .body("recordings[0].call_sid", equalTo(callSid))
                .extract().path("recordings[0].sid");
        twilio().queryParam("CallSid", callSid).when().get(BASE + "/Recordings.json")
                .then().statusCode(200).body("recordings.sid", contains(recordingSid));

        String mediaUrl = twilio().when().get(BASE + "/Recordings/" + recordingSid + ".json")
                .then().statusCode(200)
                .body("sid", matchesPattern("RE[0-9a-f]{32}")).body("duration", equalTo("3"))
                .body("status", equalTo("completed")).body("source", equalTo("OutboundAPI"))
                .body("channels", equalTo(1)).body("price_unit", equalTo("USD"))
                .body("conference_sid", nullValue()).body("encryption_details", nullValue())
                .body("subresource_uris.transcriptions", equalTo(
                        BASE.substring("/sandbox".length()) + "/Recordings/" + recordingSid + "/Transcriptions.json"))
                .extract().path("media_url");
        assertEquals("http://localhost:" + RestAssured.port + BASE + "/Recordings/" + recordingSid, mediaUrl);

        byte[] wav = twilio().when().get(mediaUrl).then().statusCode(200).contentType("audio/x-wav")
                .extract().asByteArray();
        assertEquals("RIFF", new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        twilio().when().get(mediaUrl + ".wav").then().statusCode(200).contentType("audio/x-wav");

        twilio().when().get(BASE + "/Recordings/" + recordingSid + "/Transcriptions.json")
                .then().statusCode(200).body("transcriptions", hasSize(1))
                .body("transcriptions[0].transcription_text", equalTo("Hello from the Voicegate sandbox."))
                .body("transcriptions[0].status", equalTo("completed"))
                .body("transcriptions[0].api_version", equalTo("2008-08-01"))
                .body("transcriptions[0].recording_sid", equalTo(recordingSid));
    }

    private static io.restassured.response.ValidatableResponse update(String callSid, String status) {
        RequestSpecification request = twilio().contentType(ContentType.URLENC);
        if (status != null) {
            request = request.formParam("Status", status);
        }
        return request.when().post(BASE + "/Calls/" + callSid + ".json").then().contentType(ContentType.JSON);
    }

    @Test
    void updateEndsACallAsTwilioDoes() {
        String ringing = createCall("To=%2B14155550170&From=%2B15005550006&Url=https%3A%2F%2Fe.com").getString("sid");
        String answered = createCall("To=%2B14155550171&From=%2B15005550006&Url=https%3A%2F%2Fe.com&Record=true")
                .getString("sid");
        clock.advance(Duration.ofSeconds(1));
        update(ringing, "canceled").statusCode(200).body("sid", equalTo(ringing)).body("status", equalTo("canceled"))
                .body("duration", nullValue()).body("end_time", nullValue());

        clock.advance(Duration.ofSeconds(2));
        update(answered, "canceled").statusCode(200).body("status", equalTo("in-progress"));
        clock.advance(Duration.ofSeconds(1));
        update(answered, "completed").statusCode(200).body("status", equalTo("completed"))
                .body("duration", equalTo("2")).body("end_time", equalTo("Sat, 15 Jun 2030 12:00:04 +0000"));
        String recordingSid = twilio().when().get(BASE + "/Calls/" + answered + "/Recordings.json")
                .then().statusCode(200).body("recordings", hasSize(1)).body("recordings[0].duration", equalTo("2"))
                .extract().path("recordings[0].sid");
        // Its audio is as long as its duration: 2 s of 8 kHz 16-bit mono, and 83 MP3 frames of 24 ms.
        assertEquals(44 + 2 * 16000, twilio().when().get(BASE + "/Recordings/" + recordingSid + ".wav")
                .then().statusCode(200).extract().asByteArray().length);
        assertEquals(83 * 96, twilio().when().get(BASE + "/Recordings/" + recordingSid + ".mp3")
                .then().statusCode(200).extract().asByteArray().length);

        clock.advance(Duration.ofSeconds(5));
        twilio().when().get(BASE + "/Calls/" + ringing + ".json").then().body("status", equalTo("canceled"));
        update(answered, "completed").statusCode(400).body("code", equalTo(21220)).body("status", equalTo(400))
                .body("message", equalTo("Call is not in-progress. Cannot redirect."))
                .body("more_info", equalTo("https://www.twilio.com/docs/errors/21220"));
        update(ringing, "canceled").statusCode(400).body("code", equalTo(21220));
    }

    @Test
    void updateRefusesUnknownCallsAndOtherStatuses() {
        String missing = "CA00000000000000000000000000000000";
        update(missing, "completed").statusCode(404).body("code", equalTo(20404))
                .body("message", equalTo("The requested resource " + BASE.substring("/sandbox".length())
                        + "/Calls/" + missing + ".json was not found"));
        String sid = createCall("To=%2B14155550172&From=%2B15005550006&Url=https%3A%2F%2Fe.com").getString("sid");
        update(sid, "in-progress").statusCode(400).body("code", equalTo(20001));
        update(sid, null).statusCode(400).body("code", equalTo(20001));
        given().contentType(ContentType.URLENC).formParam("Status", "completed")
                .when().post(BASE + "/Calls/" + sid + ".json").then().statusCode(401);
        twilio().when().get(BASE + "/Calls/" + sid + ".json").then().body("status", equalTo("queued"));
    }

    @Test
    void unknownResourcesAre20404() {
        String missing = "RE00000000000000000000000000000000";
        twilio().when().get(BASE + "/Recordings/" + missing + ".json")
                .then().statusCode(404).body("code", equalTo(20404)).body("status", equalTo(404))
                .body("more_info", equalTo("https://www.twilio.com/docs/errors/20404"))
                .body("message", equalTo("The requested resource " + BASE.substring("/sandbox".length())
                        + "/Recordings/" + missing + ".json was not found"));
        twilio().when().get(BASE + "/Recordings/" + missing).then().statusCode(404).body("code", equalTo(20404));
        twilio().when().get(BASE + "/Recordings/" + missing + ".mp3").then().statusCode(404);
        twilio().when().get(BASE + "/Messages.json").then().statusCode(404).body("code", equalTo(20404));
        given().when().get("/sandbox/nothing").then().statusCode(404).body("code", equalTo(20404));
    }
}
