package dev.voicegate.sandbox;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The run command's promise for recording audio: place a recorded call on the sandbox, then download its audio
 * through the service, as WAV and MP3, whole and by range, with the service key only (no Twilio credentials).
 */
@QuarkusTest
@TestProfile(SandboxEndToEndTest.RunCommandProfile.class)
class SandboxMediaEndToEndTest {

    static final String ACCOUNT = SandboxEndToEndTest.ACCOUNT;
    static final String KEY = SandboxEndToEndTest.KEY;

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

    @Test
    void downloadsTheAudioOfARecordedCallAsWavAndMp3WithRanges() {
        String placed = SandboxEndToEndTest.action("make_call", "{\"account_sid\":\"" + ACCOUNT
                + "\",\"to\":\"+14155550177\",\"from_\":\"+15005550006\",\"twiml\":\"<Response><Say>Hi</Say></Response>\","
                + "\"record\":true}");
        String callSid = JsonPath.from(placed).getString("call_sid");
        clock.advance(Duration.ofSeconds(6));
        String listed = SandboxEndToEndTest.action("list_calls", "{\"account_sid\":\"" + ACCOUNT
                + "\",\"to\":\"+14155550177\"}");
        assertEquals(callSid, JsonPath.from(listed).getString("calls[0].call_sid"));
        String recording = JsonPath.from(listed).getString("calls[0].recording_sids[0]");
        String media = "/v1/accounts/" + ACCOUNT + "/recordings/" + recording + "/media";

        byte[] wav = given().header("Authorization", KEY).get(media).then().statusCode(200)
                .contentType("audio/x-wav").header("Content-Length", "48044").header("Accept-Ranges", "bytes")
                .header("Content-Disposition", "attachment; filename=\"" + recording + ".wav\"")
                .extract().asByteArray();
        assertArrayEquals(SandboxWav.SILENCE, wav);

        byte[] mp3 = given().header("Authorization", KEY).queryParam("format", "mp3").get(media).then().statusCode(200)
                .contentType("audio/mpeg").header("Content-Disposition", "attachment; filename=\"" + recording + ".mp3\"")
                .extract().asByteArray();
        assertArrayEquals(SandboxMp3.SILENCE, mp3);

        byte[] stereo = given().header("Authorization", KEY).queryParam("channels", "2").get(media).then()
                .statusCode(200).extract().asByteArray();
        assertArrayEquals(SandboxWav.STEREO_SILENCE, stereo);

        byte[] part = given().header("Authorization", KEY).header("Range", "bytes=0-43").get(media).then()
                .statusCode(206).header("Content-Range", "bytes 0-43/48044").extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(SandboxWav.SILENCE, 0, 44), part, "the WAV header");
        byte[] mp3Part = given().header("Authorization", KEY).header("Range", "bytes=96-191").queryParam("format", "mp3")
                .get(media).then().statusCode(206).header("Content-Range", "bytes 96-191/12000").extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(SandboxMp3.SILENCE, 96, 192), mp3Part, "the second frame");

        given().header("Authorization", KEY).head(media).then().statusCode(200).header("Content-Length", "48044");
        given().header("Authorization", KEY).header("Range", "bytes=99999-").get(media).then().statusCode(416);
    }
}
