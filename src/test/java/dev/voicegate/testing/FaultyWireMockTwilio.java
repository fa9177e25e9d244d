package dev.voicegate.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * {@link WireMockTwilio} with {@link RandomFaults} installed (off until the test enables them): 5% HTTP 500,
 * 5% connection resets, 2% answers slower than the per-attempt timeout and 5% 429, from a fixed seed.
 * Configures the service exactly as {@link WireMockTwilio} does. Built for load: delays do not hold Jetty
 * threads, and there is no request journal (a soak's journal would hold hundreds of MB of bodies and hide a
 * leak in the heap figures), so tests count through {@link RandomFaults} rather than {@code verify}.
 * Tests get the server through {@link InjectWireMock} and the faults through {@link InjectFaults}.
 */
public class FaultyWireMockTwilio implements QuarkusTestResourceLifecycleManager {

    /** Seed of the fault sequence. */
    public static final long SEED = 20_240_503L;

    private WireMockServer server;
    private RandomFaults faults;

    @Override
    public Map<String, String> start() {
        faults = new RandomFaults(SEED, 0.05, 0.05, 0.02, 0.05);
        server = new WireMockServer(options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .containerThreads(128)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(16)
                .disableRequestJournal()
                .extensions(faults)
                .notifier(new Slf4jNotifier(false)));
        server.start();

        Map<String, String> config = WireMockTwilio.serviceConfig(WireMockTwilio.baseUrl(server));
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
        testInjector.injectIntoFields(faults,
                new TestInjector.AnnotatedAndMatchesType(InjectFaults.class, RandomFaults.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
