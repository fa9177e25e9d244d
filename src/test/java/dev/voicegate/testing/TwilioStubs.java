package dev.voicegate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/**
 * What tests stub on the {@link WireMockTwilio} server: Twilio's paths for the test account, the common
 * answers (real-format JSON, see {@link Fixtures}), and the reset every test starts from.
 */
public final class TwilioStubs {

    /** {@code /2010-04-01/Accounts/<test account>}: the prefix of every Twilio path the service calls. */
    public static final String ACCOUNT = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID;
    /** Create and list calls. */
    public static final String CALLS = ACCOUNT + "/Calls.json";
    /** The recordings of any call (a regex for {@code urlPathMatching}). */
    public static final String ANY_CALL_RECORDINGS = ACCOUNT + "/Calls/CA[0-9a-fA-F]{32}/Recordings\\.json";
    /** One call, any SID (a regex for {@code urlPathMatching}). */
    public static final String ANY_CALL = ACCOUNT + "/Calls/CA[0-9a-f]{32}\\.json";
    /** The Basic credentials the service sends for the test account. */
    public static final String BASIC = TestAccounts.basic(TestAccounts.ACCOUNT_SID, TestAccounts.AUTH_TOKEN);

    private TwilioStubs() {
    }

    /** Fetch one call. */
    public static String call(String callSid) {
        return ACCOUNT + "/Calls/" + callSid + ".json";
    }

    /** The recordings of one call. */
    public static String callRecordings(String callSid) {
        return ACCOUNT + "/Calls/" + callSid + "/Recordings.json";
    }

    /** Fetch one recording's metadata. */
    public static String recording(String recordingSid) {
        return ACCOUNT + "/Recordings/" + recordingSid + ".json";
    }

    /** The transcriptions of one recording. */
    public static String transcriptions(String recordingSid) {
        return ACCOUNT + "/Recordings/" + recordingSid + "/Transcriptions.json";
    }

    /**
     * Forgets every stub and request of the previous test and closes every circuit breaker (in-process
     * suites; see {@link Breakers}).
     */
    public static void reset(WireMockServer twilio) {
        twilio.resetAll();
        Breakers.resetAll();
    }

    /**
     * Answers {@code request} with {@code answers} in turn, one a request, the last one from then on (a WireMock
     * scenario named after the request).
     */
    public static void inTurn(WireMockServer twilio, Supplier<MappingBuilder> request,
            ResponseDefinitionBuilder... answers) {
        String scenario = "in turn " + request.get().build().getRequest();
        for (int i = 0; i < answers.length; i++) {
            ScenarioMappingBuilder stub = request.get().inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer " + i).willReturn(answers[i]);
            twilio.stubFor(i < answers.length - 1 ? stub.willSetStateTo("answer " + (i + 1)) : stub);
        }
    }

    /** A 200 answer with a JSON {@code body}. */
    public static ResponseDefinitionBuilder json(String body) {
        return json(200, body);
    }

    /** An answer with {@code status} and a JSON {@code body}. */
    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** An answer with {@code status} and the JSON fixture {@code name} (e.g. {@code "call.json"}). */
    public static ResponseDefinitionBuilder fixture(int status, String name) {
        return json(status, Fixtures.read(name));
    }
}
