package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Calling hours through the service: key {@code hours} may call 08:00-21:00 at the called party's local time. The
 * clock is fixed per test (QuarkusMock); a refusal is {@code forbidden} with Retry-After and reaches no Twilio.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class CallingHoursApiTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String HOURS = GuardedKeys.bearer("hours");
    static final String SF = "+14155550123";
    static final String AU_MOBILE = "+61412345678";

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void resetTwilio() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
    }

    static void at(String instant) {
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), Clock.class);
    }

    static ValidatableResponse rest(String authorization, String to) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"to\":\"" + to + "\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + ACCOUNT + "/calls").then();
    }

    static ValidatableResponse tool(String authorization, String to) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + to + "\",\"from_\":\"+15017122661\","
                        + "\"url\":\"https://example.com/twiml\"}")
                .post("/v1/actions/make_call").then();
    }

    @Test
    void bothEdgesOfTheWindowAtTheCalledPartysLocalTime() {
        // 2026-07-01: San Francisco is UTC-7.
        at("2026-07-01T14:59:00Z");
        String error = rest(HOURS, SF).statusCode(403).header("Retry-After", "60").extract().path("error");
        assertEquals("forbidden: key 'hours' may call only from 08:00-21:00 local time, and it is 07:59 "
                + "(America/Los_Angeles) for 'to' ***0123 (rule 'calling-hours'); nothing was sent to Twilio. To change "
                + "it, set voicegate.access.keys.hours.calling-hours. Retry after 60 s, when it opens in that zone.", error);
        tool(HOURS, SF).statusCode(200).header("Retry-After", "60").body("error", equalTo(error));
        twilio.verify(0, anyRequestedFor(anyUrl()));

        at("2026-07-01T15:00:00Z");
        rest(HOURS, SF).statusCode(201);
        at("2026-07-02T03:59:00Z");
        rest(HOURS, SF).statusCode(201);
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));

        at("2026-07-02T04:00:00Z");
        rest(HOURS, SF).statusCode(403).header("Retry-After", String.valueOf(11 * 3600))
                .body("error", org.hamcrest.Matchers.containsString("it is 21:00 (America/Los_Angeles)"));
        twilio.verify(2, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void aNumberInSeveralZonesIsCalledOnlyWhenItIsInsideTheWindowInEachOfThem() {
        // 01:29Z: 07:59 on the Cocos Islands, 11:29 in Sydney.
        at("2026-07-01T01:29:00Z");
        rest(HOURS, AU_MOBILE).statusCode(403).header("Retry-After", "60")
                .body("error", org.hamcrest.Matchers.containsString("07:59 (Indian/Cocos)"))
                .body("error", org.hamcrest.Matchers.containsString("when it opens in all of them"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
        at("2026-07-01T01:30:00Z");
        rest(HOURS, AU_MOBILE).statusCode(201);
    }

    @Test
    void otherKeysAndPassThroughHaveNoWindowByDefault() {
        at("2026-07-01T10:00:00Z"); // 03:00 in San Francisco
        rest(TestAccounts.bearer(TestAccounts.SERVICE_KEY), SF).statusCode(201).header("Retry-After", nullValue());
        rest(GuardedKeys.bearer("satellite"), SF).statusCode(201);
    }

    @Test
    void theRefusalIsAuditedAndLogsNoFullNumber() {
        at("2026-07-01T12:00:00Z");
        try (LogCapture logs = LogCapture.install()) {
            rest(HOURS, SF).statusCode(403).body("error", not(org.hamcrest.Matchers.containsString(SF)));
            List<String> audit = logs.lines().stream().filter(line -> line.contains(" voicegate.audit: ")).toList();
            assertEquals(1, audit.size(), String.join("\n", logs.lines()));
            assertTrue(audit.get(0).contains("\"key\":\"hours\"") && audit.get(0).contains("\"rule\":\"calling-hours\""),
                    audit.get(0));
            assertFalse(String.join("\n", logs.lines()).contains(SF));
        }
    }
}
