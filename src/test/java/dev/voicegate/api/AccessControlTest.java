package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.voicegate.access.AccessControl;
import dev.voicegate.access.Caller;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TestConfig;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Who may call what: service keys, pass-through Twilio credentials, forbidden accounts, unknown paths, SID injection. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class AccessControlTest {

    static final String RECORDING_SID = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    static final String CALL_SID = "CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    static final String SERVER_SIDE_BASIC = TestAccounts.basic(TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN);

    /** Every authenticated endpoint, tool call and REST, with the request that succeeds given valid access. */
    enum Endpoint {
        TOOL_MAKE_CALL("make_call", 200) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.contentType(ContentType.JSON).body(makeCallBody(account, true)).post("/v1/actions/make_call");
            }
        },
        TOOL_LIST_CALLS("list_calls", 200) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.contentType(ContentType.JSON)
                        .body("{\"account_sid\":\"" + account + "\",\"include_recordings\":false}")
                        .post("/v1/actions/list_calls");
            }
        },
        TOOL_GET_RECORDING("get_recording", 200) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.contentType(ContentType.JSON)
                        .body("{\"account_sid\":\"" + account + "\",\"recording_sid\":\"" + RECORDING_SID + "\"}")
                        .post("/v1/actions/get_recording");
            }
        },
        TOOL_GET_CALL("get_call", 200) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.contentType(ContentType.JSON)
                        .body("{\"account_sid\":\"" + account + "\",\"call_sid\":\"" + CALL_SID + "\"}")
                        .post("/v1/actions/get_call");
            }
        },
        REST_POST_CALLS("make_call", 201) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.contentType(ContentType.JSON).body(makeCallBody(account, false))
                        .post("/v1/accounts/" + account + "/calls");
            }
        },
        REST_GET_CALLS("list_calls", 200) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.queryParam("include_recordings", "false").get("/v1/accounts/" + account + "/calls");
            }
        },
        REST_GET_RECORDING("get_recording", 200) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.get("/v1/accounts/" + account + "/recordings/" + RECORDING_SID);
            }
        },
        REST_GET_CALL("get_call", 200) {
            @Override
            Response request(RequestSpecification request, String account) {
                return request.get("/v1/accounts/" + account + "/calls/" + CALL_SID);
            }
        };

        final String action;
        final int okStatus;

        Endpoint(String action, int okStatus) {
            this.action = action;
            this.okStatus = okStatus;
        }

        abstract Response request(RequestSpecification request, String account);

        boolean toolCall() {
            return name().startsWith("TOOL_");
        }

        /** The status of a handled failure: 200 on tool calls, the category's status on REST. */
        int failureStatus(ErrorCategory category) {
            return toolCall() ? 200 : category.httpStatus();
        }

        Response send(String authorization, String account) {
            RequestSpecification request = given();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return request(request, account);
        }
    }

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    static String makeCallBody(String account, boolean withAccount) {
        return "{" + (withAccount ? "\"account_sid\":\"" + account + "\"," : "")
                + "\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}";
    }

    static String accountPath(String account) {
        return "/2010-04-01/Accounts/" + account;
    }

    /** Twilio answering every request the endpoints make, for this account. */
    void stubTwilio(String account) {
        twilio.stubFor(post(urlPathEqualTo(accountPath(account) + "/Calls.json")).willReturn(fixture(201, "call-created.json")));
        twilio.stubFor(get(urlPathEqualTo(accountPath(account) + "/Calls.json")).willReturn(fixture(200, "calls-page-last.json")));
        twilio.stubFor(get(urlPathEqualTo(accountPath(account) + "/Recordings/" + RECORDING_SID + ".json"))
                .willReturn(fixture(200, "recording.json")));
        twilio.stubFor(get(urlPathEqualTo(accountPath(account) + "/Recordings/" + RECORDING_SID + "/Transcriptions.json"))
                .willReturn(fixture(200, "transcriptions-empty.json")));
        twilio.stubFor(get(urlPathEqualTo(accountPath(account) + "/Calls/" + CALL_SID + ".json")).willReturn(fixture(200, "call.json")));
        twilio.stubFor(get(urlPathEqualTo(accountPath(account) + "/Calls/" + CALL_SID + "/Recordings.json"))
                .willReturn(fixture(200, "call-recordings.json")));
    }

    static void assertUnauthorized(Response response, Endpoint endpoint) {
        String body = response.then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .header("WWW-Authenticate", containsString("Basic"))
                .body("success", equalTo(false))
                .body("error", startsWith("unauthorized: "))
                .extract().asString();
        Map<String, Object> envelope = response.jsonPath().getMap("$");
        assertEquals(2, envelope.size(), "only success and error: " + body);
        ContractSchemas.assertValidOutput(endpoint.action, body);
    }

    /** Every request WireMock received carried exactly this Authorization header and went to this account. */
    void assertEveryUpstreamRequest(String authorization, String account) {
        List<LoggedRequest> requests = twilio.findAll(anyRequestedFor(anyUrl()));
        assertFalse(requests.isEmpty(), "Twilio was called");
        for (LoggedRequest request : requests) {
            assertEquals(authorization, request.getHeader("Authorization"), request.getUrl());
            assertTrue(request.getUrl().startsWith(accountPath(account) + "/"), request.getUrl());
        }
        twilio.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", WireMock.equalTo(SERVER_SIDE_BASIC)));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void missingAuthorizationIs401WithTheEnvelopeAndAChallenge(Endpoint endpoint) {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        assertUnauthorized(endpoint.send(null, TestAccounts.ACCOUNT_SID), endpoint);
        assertUnauthorized(endpoint.send("", TestAccounts.ACCOUNT_SID), endpoint);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void wrongServiceKeyIs401(Endpoint endpoint) {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        Response response = endpoint.send(TestAccounts.bearer("svckey-not-the-right-one"), TestAccounts.ACCOUNT_SID);
        assertUnauthorized(response, endpoint);
        response.then().body("error", containsString("not valid"));
        assertUnauthorized(endpoint.send(TestAccounts.bearer(TestAccounts.SERVICE_KEY + "x"), TestAccounts.ACCOUNT_SID),
                endpoint);
        assertUnauthorized(endpoint.send("Bearer", TestAccounts.ACCOUNT_SID), endpoint);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Token svckey-5b8e2f90c7a1d364-TEST", "svckey-5b8e2f90c7a1d364-TEST", "Digest username=\"x\"",
            "Basic !!!not-base64!!!" })
    void unsupportedOrMalformedSchemeIs401(String authorization) {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        assertUnauthorized(Endpoint.TOOL_MAKE_CALL.send(authorization, TestAccounts.ACCOUNT_SID), Endpoint.TOOL_MAKE_CALL);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void serviceKeyUsesTheServerSideCredentials(Endpoint endpoint) {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        String body = endpoint.send(TestAccounts.bearer(TestAccounts.SERVICE_KEY), TestAccounts.ACCOUNT_SID)
                .then().statusCode(endpoint.okStatus).body("success", equalTo(true)).extract().asString();
        ContractSchemas.assertValidOutput(endpoint.action, body);
        List<LoggedRequest> requests = twilio.findAll(anyRequestedFor(anyUrl()));
        assertFalse(requests.isEmpty());
        for (LoggedRequest request : requests) {
            assertEquals(SERVER_SIDE_BASIC, request.getHeader("Authorization"), request.getUrl());
        }
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        Endpoint.TOOL_MAKE_CALL.send("bearer " + TestAccounts.SERVICE_KEY, TestAccounts.ACCOUNT_SID)
                .then().statusCode(200).body("success", equalTo(true));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void passThroughAccountTokenIsForwardedAsIsWithoutAServiceKey(Endpoint endpoint) {
        String account = TestAccounts.PASS_THROUGH_ACCOUNT_SID;
        String basic = TestAccounts.basic(account, TestAccounts.PASS_THROUGH_AUTH_TOKEN);
        stubTwilio(account);
        String body = endpoint.send(basic, account)
                .then().statusCode(endpoint.okStatus).body("success", equalTo(true)).extract().asString();
        ContractSchemas.assertValidOutput(endpoint.action, body);
        assertEveryUpstreamRequest(basic, account);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void passThroughApiKeyWorksForAnyAccount(Endpoint endpoint) {
        String account = TestAccounts.OTHER_ACCOUNT_SID;
        String basic = TestAccounts.basic(TestAccounts.API_KEY_SID, TestAccounts.API_KEY_SECRET);
        stubTwilio(account);
        endpoint.send(basic, account).then().statusCode(endpoint.okStatus).body("success", equalTo(true));
        assertEveryUpstreamRequest(basic, account);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void basicCredentialsOfAnotherAccountAreForbidden(Endpoint endpoint) {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        stubTwilio(TestAccounts.PASS_THROUGH_ACCOUNT_SID);
        String basic = TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN);
        String body = endpoint.send(basic, TestAccounts.ACCOUNT_SID)
                .then().statusCode(endpoint.failureStatus(ErrorCategory.FORBIDDEN))
                .body("success", equalTo(false))
                .body("error", startsWith("forbidden: "))
                .body("error", containsString("another account"))
                .extract().asString();
        ContractSchemas.assertValidOutput(endpoint.action, body);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "AC123:token", "US12345678123456781234567812345678:token",
            "AC123456781234567812345678123456789:token", "ACgggggggg1234567812345678123456:token",
            "SKabcdef0123456789abcdef012345678:secret", "AC12345678123456781234567812345678:", "AC12345678123456781234567812345678",
            ":token", "user:password" })
    void basicWithANonTwilioUsernameIs401(String pair) {
        stubTwilio(TestAccounts.PASS_THROUGH_ACCOUNT_SID);
        String basic = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        assertUnauthorized(Endpoint.TOOL_MAKE_CALL.send(basic, TestAccounts.PASS_THROUGH_ACCOUNT_SID), Endpoint.TOOL_MAKE_CALL);
        assertUnauthorized(Endpoint.REST_GET_CALLS.send(basic, TestAccounts.PASS_THROUGH_ACCOUNT_SID), Endpoint.REST_GET_CALLS);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void serviceKeyForAnAccountWithoutServerSideCredentialsIsForbidden(Endpoint endpoint) {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        stubTwilio(TestAccounts.OTHER_ACCOUNT_SID);
        String body = endpoint.send(TestAccounts.bearer(TestAccounts.SERVICE_KEY), TestAccounts.OTHER_ACCOUNT_SID)
                .then().statusCode(endpoint.failureStatus(ErrorCategory.FORBIDDEN))
                .body("success", equalTo(false))
                .body("error", startsWith("forbidden: "))
                .body("error", containsString(TestAccounts.OTHER_ACCOUNT_SID))
                .extract().asString();
        ContractSchemas.assertValidOutput(endpoint.action, body);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unknownActionIs404WithTheEnvelope() {
        for (String authorization : new String[] { TestAccounts.bearer(TestAccounts.SERVICE_KEY), null }) {
            RequestSpecification request = given().contentType(ContentType.JSON).body("{}");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            String body = request.post("/v1/actions/nope").then().statusCode(404)
                    .contentType(ContentType.JSON)
                    .body("success", equalTo(false))
                    .body("error", startsWith("not_found: "))
                    .body("error", containsString("make_call, list_calls, get_recording"))
                    .extract().asString();
            ContractSchemas.assertValidOutput("make_call", body);
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unknownPathIs404WithTheEnvelope() {
        for (String path : new String[] { "/v1/nope", "/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/nope", "/nope" }) {
            given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).get(path)
                    .then().statusCode(404)
                    .contentType(ContentType.JSON)
                    .body("success", equalTo(false))
                    .body("error", startsWith("not_found: "));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/..%2F..%2FCalls",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/RE%2F..%2F..%2FCalls",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5%2F..%2F..%2FCalls",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5%3FPageSize%3D1",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5%23x",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5%0A",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/..%252F..%252FCalls",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/recordings/%2E%2E",
            "/v1/accounts/AC..%2F/calls",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd%2F..%2FACeeeeeeeeffffffff0000000011111111/calls",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd%3FPage%3D2/calls",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd%2F/recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5",
            "/v1/accounts/%2E%2E/recordings/REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/calls/..%2F..%2FRecordings",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/calls/CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1%2F..%2F..%2FRecordings",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd/calls/CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1%3FPageSize%3D1",
            "/v1/accounts/ACaaaaaaaabbbbbbbbccccccccdddddddd%2F..%2FACeeeeeeeeffffffff0000000011111111/calls/CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1" })
    void sidInjectionInRestPathsIsRejectedWithoutAnUpstreamRequest(String path) {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        twilio.stubFor(WireMock.any(urlMatching(".*")).atPriority(10).willReturn(fixture(200, "calls-page-last.json")));
        for (String method : new String[] { "GET", "POST" }) {
            if (method.equals("POST") && !path.endsWith("/calls")) {
                continue;
            }
            RequestSpecification request = given().urlEncodingEnabled(false)
                    .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY));
            if (method.equals("POST")) {
                request.contentType(ContentType.JSON).body(makeCallBody("", false));
            }
            Response response = request.request(method, path);
            response.then().statusCode(anyOf(is(400), is(404)))
                    .body("success", equalTo(false))
                    .body("error", anyOf(startsWith("invalid_request: "), startsWith("not_found: ")));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void sidInjectionInToolCallParametersIsRejectedWithoutAnUpstreamRequest() {
        stubTwilio(TestAccounts.ACCOUNT_SID);
        for (String body : new String[] {
                "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"recording_sid\":\"../../Calls\"}",
                "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"recording_sid\":\"" + RECORDING_SID + "/../../Calls\"}",
                "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"recording_sid\":\"" + RECORDING_SID + "?PageSize=1\"}",
                "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "/../" + TestAccounts.OTHER_ACCOUNT_SID
                        + "\",\"recording_sid\":\"" + RECORDING_SID + "\"}" }) {
            given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY)).contentType(ContentType.JSON)
                    .body(body).post("/v1/actions/get_recording")
                    .then().statusCode(200)
                    .body("success", equalTo(false))
                    .body("error", startsWith("invalid_request: "));
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * With no service keys configured, a Bearer key unlocks nothing. The WireMock resource always configures a
     * key (and a test resource's config wins over a profile's), so this runs on an instance built directly.
     */
    @Test
    void withoutConfiguredServiceKeysABearerKeyIsUnauthorized() {
        for (Map<String, String> keys : List.of(Map.<String, String>of(), Map.of("voicegate.access.service-api-keys", ""),
                Map.of("voicegate.access.service-api-keys", " , "))) {
            AccessControl access = new AccessControl(TestConfig.of(keys), null);
            ActionException rejected = assertThrows(ActionException.class,
                    () -> access.authenticate(TestAccounts.bearer(TestAccounts.SERVICE_KEY)));
            assertEquals(ErrorCategory.UNAUTHORIZED, rejected.failure().category());
            assertTrue(rejected.failure().message().contains("no service API keys configured"), rejected.failure().message());
            assertThrows(ActionException.class, () -> access.authenticate(TestAccounts.bearer("")));

            Caller passThrough = access.authenticate(
                    TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN));
            assertEquals(TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID, TestAccounts.PASS_THROUGH_AUTH_TOKEN),
                    passThrough.credentialsFor(TestAccounts.PASS_THROUGH_ACCOUNT_SID).basicAuthorization());
        }
        AccessControl configured = new AccessControl(TestConfig.of(Map.of("voicegate.access.service-api-keys",
                " other-key ," + TestAccounts.SERVICE_KEY)), null);
        assertTrue(configured.authenticate(TestAccounts.bearer(TestAccounts.SERVICE_KEY)) instanceof Caller.ServiceKeyHolder);
        assertTrue(configured.authenticate(TestAccounts.bearer("other-key")) instanceof Caller.ServiceKeyHolder);
    }
}
