package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
/** list_calls: bad input and a missing service key are refused before anything reaches Twilio. */
@QuarkusTest
class ListCallsValidationTest extends ListCallsSuite {

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("to not E.164", body(",\"to\":\"4155551212\""), "'to' must be a phone number"),
                Arguments.of("to with spaces", body(",\"to\":\"+1 415 555 1212\""), "'to' must be a phone number"),
                Arguments.of("to as number", body(",\"to\":14155551212"), "'to' must be a string"),
                Arguments.of("from_ not E.164", body(",\"from_\":\"+0123\""), "'from_' must be a phone number"),
                Arguments.of("from alias not E.164", body(",\"from\":\"client:alice\""), "'from_' must be a phone number"),
                Arguments.of("from and from_", body(",\"from\":\"+15017122661\",\"from_\":\"+15017122661\""), "not both"),
                // An alias is renamed first: every error names the parameter as the contract does.
                Arguments.of("from alias with a control character", body(",\"from\":\"+15017122661\\r\\n\""), "'from_' must not contain control characters"),
                Arguments.of("status unknown", body(",\"status\":\"done\""), "'status' must be one of"),
                Arguments.of("status wrong case", body(",\"status\":\"Completed\""), "'status' must be one of"),
                Arguments.of("after not a date", body(",\"start_time_after\":\"yesterday\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("after with time", body(",\"start_time_after\":\"2024-05-01T00:00:00Z\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("after unpadded", body(",\"start_time_after\":\"2024-5-1\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("after impossible day", body(",\"start_time_after\":\"2024-02-30\""), "'start_time_after' must be a date as YYYY-MM-DD"),
                Arguments.of("before US format", body(",\"start_time_before\":\"05/03/2024\""), "'start_time_before' must be a date as YYYY-MM-DD"),
                Arguments.of("before month 13", body(",\"start_time_before\":\"2024-13-01\""), "'start_time_before' must be a date as YYYY-MM-DD"),
                Arguments.of("page_size 0", body(",\"page_size\":0"), "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size 1001", body(",\"page_size\":1001"), "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size negative", body(",\"page_size\":-5"), "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size as string", body(",\"page_size\":\"50\""), "'page_size' must be an integer"),
                Arguments.of("page_size as float", body(",\"page_size\":2.5"), "'page_size' must be an integer"),
                Arguments.of("include_recordings as string", body(",\"include_recordings\":\"true\""), "'include_recordings' must be true or false"),
                Arguments.of("include_recordings as number", body(",\"include_recordings\":1"), "'include_recordings' must be true or false"),
                Arguments.of("unknown parameter", body(",\"direction\":\"inbound\""), "unknown parameter 'direction'"),
                Arguments.of("Twilio-style parameter", body(",\"PageSize\":10"), "unknown parameter 'PageSize'"),
                Arguments.of("page_token garbage", body(",\"page_token\":\"not a token!\""), "'page_token' is not a cursor"),
                Arguments.of("page_token not base64 cursor", body(",\"page_token\":\"abc\""), "'page_token' is not a cursor"),
                Arguments.of("page_token bad Twilio token", body(",\"page_token\":\"" + token("1", "XX123") + "\""), "'page_token' is not a cursor"),
                Arguments.of("page_token smuggling a parameter", body(",\"page_token\":\""
                        + token("1", "PAabc&To=%2B1") + "\""), "'page_token' is not a cursor"),
                Arguments.of("page_token bad page", body(",\"page_token\":\"" + token("-1", "PAabc") + "\""), "'page_token' is not a cursor"),
                Arguments.of("page_token too long", body(",\"page_token\":\"" + "A".repeat(600) + "\""), "'page_token' is not a cursor"),
                Arguments.of("account_sid malformed", body("").replace(TestAccounts.ACCOUNT_SID, "AC123"), "'account_sid' must be an Account SID"),
                Arguments.of("account_sid missing", "{\"page_size\":5}", "'account_sid' is required"),
                Arguments.of("control character", body(",\"status\":\"completed\\r\\nX: y\""), "'status' must not contain control characters"),
                Arguments.of("not json", "{\"page_size\": ", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInputNamingTheParameterWithoutCallingTwilio(String name, String json, String expected) {
        validOutput(action(json)
                .statusCode(200)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected))
                .body("calls", empty())
                .body("total", equalTo(0)));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("unknown query parameter", "direction=inbound", "unknown query parameter 'direction'"),
                Arguments.of("Twilio-style name", "PageSize=10", "unknown query parameter 'PageSize'"),
                Arguments.of("repeated parameter", "status=busy&status=failed", "query parameter 'status' must be given once"),
                Arguments.of("page_size not a number", "page_size=ten", "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size 0", "page_size=0", "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("page_size 1001", "page_size=1001", "'page_size' must be an integer from 1 to 1000"),
                Arguments.of("include_recordings yes", "include_recordings=yes", "'include_recordings' must be true or false"),
                Arguments.of("to with literal plus (a space)", "to=+14155551212", "'to' must be a phone number"),
                Arguments.of("bad date", "start_time_before=2024-05-3", "'start_time_before' must be a date as YYYY-MM-DD"),
                Arguments.of("bad status", "status=all", "'status' must be one of"),
                Arguments.of("bad page_token", "page_token=xyz", "'page_token' is not a cursor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void restRejectsBadQueryWith400WithoutCallingTwilio(String name, String query, String expected) {
        ValidatableResponse response = rest(query)
                .statusCode(400)
                .body("success", equalTo(false))
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString(expected));
        ContractSchemas.assertValidOutput("list_calls", response.extract().asString());
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void restRejectsAMalformedAccountSidInThePath() {
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/AC123/calls")
                .then().statusCode(400)
                .body("error", startsWith("invalid_request: "))
                .body("error", containsString("'account_sid'"));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void missingServiceKeyIs401WithoutCallingTwilio() {
        given().contentType(ContentType.JSON).body(body("")).post("/v1/actions/list_calls")
                .then().statusCode(401);
        given().get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls").then().statusCode(401);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
