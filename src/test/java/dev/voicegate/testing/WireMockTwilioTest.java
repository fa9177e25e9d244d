package dev.voicegate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/** The harness itself: config, injection, loopback server, fixtures, schema helper. */
class WireMockTwilioTest {

    private static final List<String> FIXTURES = List.of("call-created.json", "calls-page.json",
            "calls-page-last.json", "call-recordings.json", "call-recordings-empty.json", "recording.json",
            "transcriptions.json", "transcriptions-empty.json", "error-21211.json", "error-20003.json",
            "error-20404.json", "error-20429.json", "error-20500.json");
    private static final Pattern SID_FIELD = Pattern.compile("\"(\\w*sid)\": \"([^\"]*)\"");

    private final WireMockTwilio resource = new WireMockTwilio();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Map<String, String> config;

    @InjectWireMock
    WireMockServer wireMock;

    @BeforeEach
    void start() {
        config = resource.start();
    }

    @AfterEach
    void stop() {
        resource.stop();
    }

    @Test
    void configPointsTheTwilioClientAtLoopbackWithTestCredentials() {
        assertTrue(config.get("quarkus.rest-client.twilio.url").matches("http://127\\.0\\.0\\.1:\\d+"),
                config.get("quarkus.rest-client.twilio.url"));
        assertEquals(TestAccounts.ACCOUNT_SID, config.get("voicegate.twilio.account-sid"));
        assertEquals(TestAccounts.AUTH_TOKEN, config.get("voicegate.twilio.auth-token"));
        assertEquals(TestAccounts.SERVICE_KEY, config.get("voicegate.access.service-api-keys"));
        assertEquals(WireMockTwilio.TEST_TIMEOUT_MS, config.get("voicegate.twilio.timeout-ms"));
        assertEquals("10", config.get("voicegate.twilio.retry-delay-ms"));
    }

    @Test
    void injectsTheServerIntoAnnotatedFieldsOnly() {
        WireMockServer[] other = new WireMockServer[1];
        resource.inject((Object value, Predicate<Field> predicate) -> {
            for (Field field : WireMockTwilioTest.class.getDeclaredFields()) {
                if (predicate.test(field)) {
                    assertEquals("wireMock", field.getName());
                    wireMock = (WireMockServer) value;
                } else if (field.getType() == WireMockServer.class) {
                    other[0] = (WireMockServer) value;
                }
            }
        });
        assertNotNull(wireMock);
        assertTrue(wireMock.isRunning());
        assertNull(other[0]);
    }

    @Test
    void serverAnswersOnLoopback() throws Exception {
        resource.inject((Object value, Predicate<Field> predicate) -> wireMock = (WireMockServer) value);
        String path = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID + "/Recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5.json";
        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(fixture(200, "recording.json")));

        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(config.get("quarkus.rest-client.twilio.url") + path))
                        .header("Authorization", TestAccounts.basic(TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals(Fixtures.read("recording.json"), response.body());
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(path)));
        assertEquals("127.0.0.1", URI.create(WireMockTwilio.baseUrl(wireMock)).getHost());
    }

    @Test
    void stopReleasesThePort() {
        String url = config.get("quarkus.rest-client.twilio.url");
        resource.stop();
        assertThrows(java.io.IOException.class, () -> http.send(
                HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void fixturesAreValidJsonOfTheTestAccount() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String name : FIXTURES) {
            String body = Fixtures.read(name);
            assertNotNull(json.readTree(body), name);
            Matcher accounts = Pattern.compile("\\bAC[0-9a-fA-F]{32}\\b").matcher(body);
            while (accounts.find()) {
                assertEquals(TestAccounts.ACCOUNT_SID, accounts.group(), name);
            }
            Matcher sids = SID_FIELD.matcher(body);
            while (sids.find()) {
                assertTrue(sids.group(2).matches("[A-Z]{2}[0-9a-f]{32}"), name + ": " + sids.group());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Fixtures.read("no-such-fixture.json"));
    }

    @Test
    void helpersBuildAuthorizationHeaders() {
        assertEquals("Basic dXNlcjpzZWNyZXQ=", TestAccounts.basic("user", "secret"));
        assertEquals("Bearer " + TestAccounts.SERVICE_KEY, TestAccounts.bearer(TestAccounts.SERVICE_KEY));
        for (String sid : List.of(TestAccounts.ACCOUNT_SID, TestAccounts.OTHER_ACCOUNT_SID,
                TestAccounts.PASS_THROUGH_ACCOUNT_SID)) {
            assertTrue(sid.matches("AC[0-9a-f]{32}"), sid);
        }
        assertTrue(TestAccounts.API_KEY_SID.matches("SK[0-9a-f]{32}"));
    }

    @Test
    void contractSchemasAcceptValidAndRejectInvalidJson() {
        ContractSchemas.assertValidOutput("make_call",
                "{\"success\":true,\"call_sid\":\"CAc0ffee00c0ffee00c0ffee00c0ffee00\",\"status\":\"queued\"}");
        ContractSchemas.assertValidOutput("get_recording", "{\"success\":false,\"error\":\"not found\"}");
        ContractSchemas.assertValidInput("list_calls",
                "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"start_time_after\":\"2024-05-01\"}");

        assertFalse(ContractSchemas.outputErrors("make_call", "{\"success\":true,\"surprise\":1}").isEmpty());
        assertFalse(ContractSchemas.inputErrors("list_calls",
                "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"start_time_after\":\"May 1st\"}").isEmpty());
        assertThrows(AssertionFailedError.class,
                () -> ContractSchemas.assertValidOutput("list_calls", "{\"calls\":[]}"));
    }
}
