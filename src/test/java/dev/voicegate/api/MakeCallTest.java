package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.ServiceApi;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** make_call end to end: the service's output, and exactly what Twilio receives. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class MakeCallTest {

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    static String body(String extra) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\",\"from_\":\"+15017122661\""
                + extra + "}";
    }

    static ValidatableResponse action(String json) {
        return ServiceApi.action("make_call", json);
    }

    static void validOutput(ValidatableResponse response) {
        ContractSchemas.assertValidOutput("make_call", response.extract().asString());
    }

    @Test
    void placesTheCallWithEveryParameterEncodedAsTwilioExpects() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));

        ValidatableResponse response = action(body(",\"twiml\":\"<Response><Say>Hi &amp; bye</Say></Response>\","
                + "\"status_callback\":\"https://example.com/status?x=1\",\"status_callback_method\":\"POST\","
                + "\"record\":true,\"recording_status_callback\":\"https://example.com/rec\",\"timeout\":30,"
                + "\"machine_detection\":\"Enable\""))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("error", equalTo(null))
                .body("call_sid", equalTo("CAc0ffee00c0ffee00c0ffee00c0ffee00"))
                .body("status", equalTo("queued"))
                .body("direction", equalTo("outbound-api"))
                .body("from_", equalTo("+15017122661"))
                .body("to", equalTo("+14155551212"));
        validOutput(response);

        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS))
                .withHeader("Authorization", WireMock.equalTo(TestAccounts.basic(TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN)))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("To", WireMock.equalTo("+14155551212"))
                .withFormParam("From", WireMock.equalTo("+15017122661"))
                .withFormParam("Twiml", WireMock.equalTo("<Response><Say>Hi &amp; bye</Say></Response>"))
                .withFormParam("StatusCallback", WireMock.equalTo("https://example.com/status?x=1"))
                .withFormParam("StatusCallbackMethod", WireMock.equalTo("POST"))
                .withFormParam("Record", WireMock.equalTo("true"))
                .withFormParam("RecordingStatusCallback", WireMock.equalTo("https://example.com/rec"))
                .withFormParam("Timeout", WireMock.equalTo("30"))
                .withFormParam("MachineDetection", WireMock.equalTo("Enable")));
        LoggedRequest sent = twilio.getAllServeEvents().get(0).getRequest();
        String form = sent.getBodyAsString();
        // '+' must travel as %2B: a literal '+' would reach Twilio as a space.
        assertEquals(true, form.contains("To=%2B14155551212"), form);
        assertEquals(true, form.contains("From=%2B15017122661"), form);
        assertEquals(false, form.contains("Url="), "absent parameters are not sent: " + form);
    }

    /** TwiML is the one multi-line parameter: its tabs and line breaks reach Twilio as sent. */
    @Test
    void multiLineTwimlIsSentAsIs() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        String twiml = "<Response>\r\n\t<Say>hi</Say>\n</Response>";
        String escaped = twiml.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");

        validOutput(action(body(",\"twiml\":\"" + escaped + "\"")).statusCode(200).body("success", equalTo(true)));

        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)).withFormParam("Twiml", WireMock.equalTo(twiml)));
    }

    @Test
    void restEndpointAnswers201AndTakesTheAccountFromThePath() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));

        String json = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls")
                .then().statusCode(201).body("success", equalTo(true)).extract().asString();
        ContractSchemas.assertValidOutput("make_call", json);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)).withFormParam("Url", WireMock.equalTo("https://example.com/twiml")));
    }

    static Stream<Arguments> badInputs() {
        String url = ",\"url\":\"https://e.com/t\"";
        return Stream.of(
                Arguments.of("to not E.164", body(url).replace("+14155551212", "4155551212"), "'to' must be a phone number"),
                Arguments.of("to missing", body(url).replace("\"to\":\"+14155551212\",", ""), "'to' is required"),
                Arguments.of("from missing", body(url).replace("\"from_\":\"+15017122661\"", "\"x\":null"), "unknown parameter 'x'"),
                Arguments.of("from not E.164", body(url).replace("+15017122661", "+0123"), "'from_' must be a phone number"),
                Arguments.of("no url nor twiml", body(""), "exactly one of 'url' or 'twiml'"),
                Arguments.of("both url and twiml", body(url + ",\"twiml\":\"<Response/>\""), "exactly one of 'url' or 'twiml'"),
                Arguments.of("twiml not xml", body(",\"twiml\":\"<Response><Say>\""), "'twiml' must be well-formed XML"),
                Arguments.of("twiml wrong root", body(",\"twiml\":\"<Say>hi</Say>\""), "<Response> as its root"),
                Arguments.of("twiml too long", body(",\"twiml\":\"<Response>" + "a".repeat(4000) + "</Response>\""), "'twiml' must be at most 4000 characters"),
                // Past the cap of other strings (4096) too: still TwiML's own limit, not a second message.
                Arguments.of("twiml far too long", body(",\"twiml\":\"<Response>" + "a".repeat(5000) + "</Response>\""), "'twiml' must be at most 4000 characters"),
                Arguments.of("twiml with a NUL", body(",\"twiml\":\"<Response>\\u0000</Response>\""), "'twiml' must not contain control characters"),
                Arguments.of("twiml with doctype", body(",\"twiml\":\"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><Response>&e;</Response>\""), "'twiml' must be well-formed XML"),
                Arguments.of("url not http", body(",\"url\":\"ftp://e.com/t\""), "'url' must be an absolute http"),
                Arguments.of("url relative", body(",\"url\":\"/twiml\""), "'url' must be an absolute http"),
                Arguments.of("status callback", body(url + ",\"status_callback\":\"nope\""), "'status_callback' must be an absolute http"),
                Arguments.of("recording callback", body(url + ",\"recording_status_callback\":\"x\""), "'recording_status_callback' must be"),
                Arguments.of("callback method", body(url + ",\"status_callback_method\":\"PUT\""), "'status_callback_method' must be one of GET, POST"),
                Arguments.of("timeout zero", body(url + ",\"timeout\":0"), "'timeout' must be an integer from 1 to 600"),
                Arguments.of("timeout too big", body(url + ",\"timeout\":601"), "'timeout' must be an integer from 1 to 600"),
                Arguments.of("timeout as string", body(url + ",\"timeout\":\"60\""), "'timeout' must be an integer"),
                Arguments.of("timeout as float", body(url + ",\"timeout\":60.5"), "'timeout' must be an integer"),
                Arguments.of("record as string", body(url + ",\"record\":\"true\""), "'record' must be true or false"),
                Arguments.of("record as number", body(url + ",\"record\":1"), "'record' must be true or false"),
                Arguments.of("to as number", body(url).replace("\"+14155551212\"", "14155551212"), "'to' must be a string"),
                Arguments.of("machine detection", body(url + ",\"machine_detection\":\"enable\""), "'machine_detection' must be one of"),
                Arguments.of("unknown field", body(url + ",\"sendDigits\":\"1\""), "unknown parameter 'sendDigits'"),
                Arguments.of("control character", body(",\"url\":\"https://e.com/t\\r\\nX: y\""), "'url' must not contain control characters"),
                Arguments.of("account sid", body(url).replace(TestAccounts.ACCOUNT_SID, "AC123"), "'account_sid' must be an Account SID"),
                Arguments.of("account sid missing", body(url).replace("\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",", ""), "'account_sid' is required"),
                Arguments.of("from and from_", body(url + ",\"from\":\"+15017122661\""), "not both"),
                Arguments.of("duplicate key", body(url + ",\"url\":\"https://e.com/u\""), "Duplicate field"),
                Arguments.of("not json", "{\"to\": ", "not valid JSON"),
                Arguments.of("json array", "[]", "must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInputWithoutCallingTwilio(String name, String json, String expected) {
        ValidatableResponse response = action(json)
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected));
        validOutput(response);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void twilioRejectionIsQuotedWithItsCodeAndTheNumberMasked() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(400, "error-21211.json")));

        validOutput(action(body(",\"url\":\"https://e.com/t\""))
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("twilio_error: Twilio error 21211 (HTTP 400)"))
                .body("error", not(containsString("4155551212"))));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void rateLimitIsRetriedThenReportedWithTheWait() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(429, "error-20429.json").withHeader("Retry-After", "1")));

        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://e.com/t\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls")
                .then().statusCode(429)
                .header("Retry-After", "1")
                .body("error", startsWith("rate_limited: "))
                .body("error", containsString("The call was not placed"));
        // 429 is never processed by Twilio: the first attempt and 3 retries.
        twilio.verify(4, postRequestedFor(urlEqualTo(CALLS)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "500", "503" })
    void serverErrorAfterSendingIsAnUnknownOutcomeAndNeverResent(int status) {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(status, "error-20500.json")));
        validOutput(action(body(",\"url\":\"https://e.com/t\""))
                .body("success", equalTo(false))
                .body("error", startsWith("outcome_unknown: "))
                .body("error", containsString("list_calls")));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void connectionResetIsAnUnknownOutcomeAndNeverResent() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        validOutput(action(body(",\"url\":\"https://e.com/t\""))
                .body("error", startsWith("outcome_unknown: ")));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void slowAnswerIsAnUnknownOutcomeAndNeverResent() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json").withFixedDelay(WireMockTwilio.SLOWER_THAN_TIMEOUT_MS)));
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://e.com/t\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls")
                .then().statusCode(504)
                .body("error", startsWith("outcome_unknown: "));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void unreadableSuccessIsAnUnknownOutcome() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(json(201, "{\"sid\": ")));
        validOutput(action(body(",\"url\":\"https://e.com/t\""))
                .body("error", startsWith("outcome_unknown: ")));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void twilioAuthFailureIsUnauthorized() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(401, "error-20003.json")));
        validOutput(action(body(",\"url\":\"https://e.com/t\""))
                .body("error", startsWith("unauthorized: Twilio rejected the credentials")));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

}
