package dev.voicegate.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for {@code api.twilio.com}: an in-process WireMock server on a dynamic loopback
 * port, wired into the Twilio REST client, with the test account's credentials and short
 * fault-tolerance timeouts and delays. Tests get the server through {@link InjectWireMock}
 * and should {@code resetAll()} it before each test.
 */
public class WireMockTwilio implements QuarkusTestResourceLifecycleManager {

    /**
     * Per-attempt timeout for tests, in milliseconds: short, but long enough for a first request on a cold JIT of a
     * busy 2-core machine (1 s was not: the first make_call of a class timed out under load).
     */
    public static final String TEST_TIMEOUT_MS = "2500";
    /** A delay of Twilio's answer that every attempt's timeout cuts, with a margin for a busy machine. */
    public static final int SLOWER_THAN_TIMEOUT_MS = Integer.parseInt(TEST_TIMEOUT_MS) + 2000;
    /** Delay between retries for tests, in milliseconds. */
    public static final String TEST_RETRY_DELAY_MS = "10";
    /** get_call's pauses between fetches for tests: first and longest. */
    public static final String TEST_FIRST_POLL = "100ms";
    public static final String TEST_MAX_POLL = "400ms";

    private WireMockServer server;
    private Map<String, String> overrides = Map.of();

    /** Init args ({@code @WithTestResource(initArgs = ...)}) are configuration that replaces the defaults below. */
    @Override
    public void init(Map<String, String> initArgs) {
        overrides = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false)));
        server.start();

        Map<String, String> config = serviceConfig(baseUrl(server));
        // Set by failsafe (pom.xml) for the *IT suites, which run against the packaged application.
        if (Boolean.getBoolean("voicegate.integration-test")) {
            // The packaged app's breakers cannot be reset between tests from outside, and the suites
            // inject failures on purpose; breaker behaviour is covered in-process by CircuitBreakerTest.
            config.put("quarkus.fault-tolerance.global.circuit-breaker.enabled", "false");
        }
        config.putAll(overrides);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** The test account, its credentials and service key, and short fault tolerance, against {@code twilioUrl}. */
    public static Map<String, String> serviceConfig(String twilioUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.rest-client.twilio.url", twilioUrl);
        config.put("voicegate.twilio.account-sid", TestAccounts.ACCOUNT_SID);
        config.put("voicegate.twilio.auth-token", TestAccounts.AUTH_TOKEN);
        config.put("voicegate.access.service-api-keys", TestAccounts.SERVICE_KEY);
        // As an operator sets TWILIO_TIMEOUT_MS and TWILIO_RETRY_DELAY_MS: every Twilio operation follows these.
        config.put("voicegate.twilio.timeout-ms", TEST_TIMEOUT_MS);
        config.put("voicegate.twilio.retry-delay-ms", TEST_RETRY_DELAY_MS);
        config.put("voicegate.get-call.first-poll", TEST_FIRST_POLL);
        config.put("voicegate.get-call.max-poll", TEST_MAX_POLL);
        return config;
    }

    /** {@code http://127.0.0.1:<port>} of a running server. */
    public static String baseUrl(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }
}
