package dev.voicegate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.Breakers;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Twilio cannot be reached at all: nothing was sent, so even make_call says "not placed" and may be retried. */
@QuarkusTest
@TestProfile(UnreachableTwilioTest.ClosedPort.class)
class UnreachableTwilioTest {

    /** The Twilio client points at a loopback port nobody listens on; short fault-tolerance delays. */
    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = WireMockTwilio.serviceConfig("http://127.0.0.1:" + closedPort());
            config.put("quarkus.rest-client.twilio.connect-timeout", "1000");
            return config;
        }

        /** A port that was free a moment ago: bound, then released. */
        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String RECORDING_SID = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";

    @BeforeEach
    void reset() {
        Breakers.resetAll();
    }

    static ValidatableResponse tool(String action, String json) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .contentType(ContentType.JSON).body(json).post("/v1/actions/" + action).then();
    }

    static String makeCall() {
        return "{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\"}";
    }

    @Test
    void makeCallIsUpstreamUnavailableAndNotPlaced() {
        String body = tool("make_call", makeCall())
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "))
                .body("error", containsString("not placed"))
                .body("error", containsString("Retrying later may help"))
                .extract().asString();
        ContractSchemas.assertValidOutput("make_call", body);
    }

    @Test
    void makeCallIsRetriedBecauseNothingWasSent() {
        List<String> lines;
        try (LogCapture logs = LogCapture.install()) {
            tool("make_call", makeCall()).body("error", startsWith("upstream_unavailable: "));
            lines = logs.lines();
        }
        // SmallRye Fault Tolerance logs each retry of the make_call guard at DEBUG: the first attempt and all 3
        // retries were made.
        List<String> retries = lines.stream()
                .filter(line -> line.contains("twilio-create-call") && line.contains("retrying")).toList();
        assertEquals(3, retries.size(), String.join("\n", lines));
        assertTrue(retries.get(2).contains("(3/3)"), retries.get(2));
    }

    @Test
    void makeCallRestEndpointAnswers502() {
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + ACCOUNT + "/calls")
                .then().statusCode(502)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "))
                .body("error", containsString("not placed"));
    }

    @Test
    void listCallsIsUpstreamUnavailable() {
        String body = tool("list_calls", "{\"account_sid\":\"" + ACCOUNT + "\"}")
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "))
                .extract().asString();
        ContractSchemas.assertValidOutput("list_calls", body);

        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + ACCOUNT + "/calls")
                .then().statusCode(502)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "));
    }

    @Test
    void getRecordingIsUpstreamUnavailable() {
        String body = tool("get_recording", "{\"account_sid\":\"" + ACCOUNT + "\",\"recording_sid\":\"" + RECORDING_SID + "\"}")
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("upstream_unavailable: "))
                .extract().asString();
        ContractSchemas.assertValidOutput("get_recording", body);

        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + ACCOUNT + "/recordings/" + RECORDING_SID)
                .then().statusCode(502)
                .body("error", startsWith("upstream_unavailable: "));
    }
}
