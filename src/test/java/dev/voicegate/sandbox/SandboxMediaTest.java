package dev.voicegate.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The sandbox's recording media over real HTTP: WAV and MP3, channels, and byte ranges as Twilio serves them. */
@QuarkusTest
@TestProfile(SandboxProfile.class)
class SandboxMediaTest {

    static final String BASE = SandboxRoutesTest.BASE;

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
        return given().auth().preemptive().basic(SandboxRoutesTest.ACCOUNT, SandboxRoutesTest.TOKEN);
    }

    /** A completed, recorded call's recording SID. */
    String recording() {
        String callSid = twilio().contentType(ContentType.URLENC)
                .body("To=%2B14155550140&From=%2B15005550006&Url=https%3A%2F%2Fe.com&Record=true")
                .post(BASE + "/Calls.json").then().statusCode(201).extract().path("sid");
        clock.advance(Duration.ofSeconds(6));
        return twilio().get(BASE + "/Calls/" + callSid + "/Recordings.json").then().statusCode(200)
                .extract().path("recordings[0].sid");
    }

    @Test
    void wavIsPcmSilenceAsLongAsTheRecordingInTheChannelsAskedFor() {
        String media = BASE + "/Recordings/" + recording();

        byte[] mono = twilio().get(media + ".wav").then().statusCode(200).contentType("audio/x-wav")
                .header("Accept-Ranges", "bytes").header("Content-Length", "48044").extract().asByteArray();
        ByteBuffer header = ByteBuffer.wrap(mono).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(mono, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(1, header.getShort(22), "channels");
        assertEquals(8000, header.getInt(24), "sample rate");
        String duration = twilio().get(media + ".json").then().statusCode(200).extract().path("duration");
        assertEquals(Integer.parseInt(duration) * 8000 * 2, header.getInt(40), "data bytes: 'duration' seconds of "
                + "8 kHz 16-bit mono");
        assertArrayEquals(mono, twilio().get(media).then().statusCode(200).extract().asByteArray(),
                "no extension is WAV");

        byte[] stereo = twilio().queryParam("RequestedChannels", "2").get(media + ".wav").then().statusCode(200)
                .extract().asByteArray();
        assertEquals(2, ByteBuffer.wrap(stereo).order(ByteOrder.LITTLE_ENDIAN).getShort(22));
        assertEquals(44 + 2 * 48000, stereo.length);

        twilio().queryParam("RequestedChannels", "3").get(media + ".wav").then().statusCode(400)
                .body("code", equalTo(20001));
    }

    @Test
    void mp3IsASequenceOfValidSilentFrames() {
        String media = BASE + "/Recordings/" + recording() + ".mp3";

        byte[] mp3 = twilio().get(media).then().statusCode(200).contentType("audio/mpeg")
                .header("Accept-Ranges", "bytes").extract().asByteArray();
        assertEquals(125 * 96, mp3.length, "3 s of 24 ms frames, as long as the recording's duration");
        for (int frame = 0; frame < 125; frame++) {
            int at = frame * 96;
            // MPEG-1 Layer III, no CRC, 32 kbit/s, 48 kHz, no padding, mono: each frame is 144 * 32000 / 48000 bytes.
            assertArrayEquals(new byte[] { (byte) 0xFF, (byte) 0xFB, 0x14, (byte) 0xC0 },
                    Arrays.copyOfRange(mp3, at, at + 4), "header of frame " + frame);
            assertArrayEquals(new byte[92], Arrays.copyOfRange(mp3, at + 4, at + 96), "side info and data of " + frame);
        }
        byte[] stereo = twilio().queryParam("RequestedChannels", "2").get(media).then().statusCode(200)
                .extract().asByteArray();
        assertEquals(0x00, stereo[3], "channel mode stereo");
    }

    @Test
    void rangesGet206WithContentRangeOr416() {
        String media = BASE + "/Recordings/" + recording();
        byte[] whole = twilio().get(media + ".wav").then().extract().asByteArray();

        byte[] part = twilio().header("Range", "bytes=40-99").get(media + ".wav").then().statusCode(206)
                .header("Content-Range", "bytes 40-99/48044").header("Content-Length", "60")
                .header("Accept-Ranges", "bytes").extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(whole, 40, 100), part);

        byte[] tail = twilio().header("Range", "bytes=-10").get(media + ".wav").then().statusCode(206)
                .header("Content-Range", "bytes 48034-48043/48044").extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(whole, 48034, 48044), tail);

        twilio().header("Range", "bytes=11968-").get(media + ".mp3").then().statusCode(206)
                .header("Content-Range", "bytes 11968-11999/12000").contentType("audio/mpeg");
        twilio().header("Range", "bytes=99999-").get(media + ".wav").then().statusCode(416)
                .header("Content-Range", "bytes */48044");
        twilio().header("Range", "bytes=0-1,5-6").get(media + ".wav").then().statusCode(200)
                .header("Content-Length", "48044");
    }

    @Test
    void unknownRecordingsAre20404() {
        twilio().get(BASE + "/Recordings/RE00000000000000000000000000000000.mp3").then().statusCode(404)
                .body("code", equalTo(20404));
    }
}
