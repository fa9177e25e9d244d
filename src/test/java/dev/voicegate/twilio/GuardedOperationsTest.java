package dev.voicegate.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import dev.voicegate.twilio.limit.Turn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/**
 * Every Twilio operation follows TWILIO_TIMEOUT_MS and TWILIO_MAX_RETRIES. The operations are found by
 * reflection (every method of {@link TwilioClient} an interceptor can reach), so one added later is checked
 * without being listed here: one without a guard, or with a guard that ignores the settings, fails.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@TestProfile(GuardedOperationsTest.TimeoutAndRetries.class)
class GuardedOperationsTest {

    static final int TIMEOUT_MS = 1000;
    /** Not the default (3), so an operation that ignores the setting makes a different number of attempts. */
    static final int MAX_RETRIES = 1;
    /** A slow answer: longer than {@link #TIMEOUT_MS}, shorter than the default (10 s). */
    static final int SLOW_MS = 2500;

    /** What TWILIO_TIMEOUT_MS and TWILIO_MAX_RETRIES set. */
    public static class TimeoutAndRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicegate.twilio.timeout-ms", String.valueOf(TIMEOUT_MS),
                    "voicegate.twilio.max-retries", String.valueOf(MAX_RETRIES));
        }
    }

    /** An argument for each parameter type of the operations: a new type needs one here. */
    static final Map<Class<?>, Object> ARGUMENTS = Map.of(
            TwilioCredentials.class, new TwilioCredentials(TestAccounts.ACCOUNT_SID, TestAccounts.ACCOUNT_SID,
                    TestAccounts.AUTH_TOKEN),
            NewCall.class, new NewCall("+14155551212", "+15017122661", "https://example.com/twiml", null, null,
                    null, null, null, null, null, null),
            CallQuery.class, new CallQuery(null, null, null, null, null, 50, null, null),
            RecordingQuery.class, new RecordingQuery("2024-05-01", null, 50, null),
            PageCursor.class, new PageCursor(1, "PAabc"),
            Turn.class, Turn.FIRST,
            String.class, "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5"); // a call or recording SID: any path is stubbed

    @InjectWireMock
    WireMockServer twilio;

    @Inject
    TwilioClient client;

    @Inject
    TwilioGuards guards;

    @BeforeEach
    void reset() {
        TwilioStubs.reset(twilio);
    }

    static Stream<Named<Method>> operations() {
        List<Method> operations = Arrays.stream(TwilioClient.class.getDeclaredMethods())
                .filter(m -> !Modifier.isPrivate(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                        && !m.isSynthetic())
                .sorted(Comparator.comparing(Method::getName))
                .toList();
        assertFalse(operations.isEmpty());
        return operations.stream().map(m -> Named.of(m.getName(), m));
    }

    @ParameterizedTest
    @MethodSource("operations")
    void makesMaxRetriesRetriesOfA429(Method operation) {
        // Twilio documents a 429 as never processed: every operation, make_call included, retries it.
        twilio.stubFor(any(anyUrl()).willReturn(rateLimited()));

        assertInstanceOf(TwilioException.RateLimited.class, failureOf(operation));
        twilio.verify(MAX_RETRIES + 1, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @MethodSource("operations")
    void timesOutEachAttemptAfterTimeoutMs(Method operation) {
        twilio.stubFor(any(anyUrl()).willReturn(rateLimited().withFixedDelay(SLOW_MS)));

        // With any other timeout (the default is 10 s) the slow 429 would arrive first. How many attempts
        // reach Twilio before their timeout depends on the machine, so the 429 test counts them instead.
        assertInstanceOf(TimeoutException.class, failureOf(operation));
    }

    @Test
    void aDeliveredAnswerIsNotKeptByTheWorkerThreadsThatRanTheAttempts() {
        // The guard runs each attempt on a worker thread, which may keep its last task while idle: an answer (a page
        // of 1000 calls, say) must not stay reachable from it once delivered. The answers come later, from another
        // thread, as Twilio's do; several at once, so that several worker threads take part.
        List<Uni<byte[]>> attempts = IntStream.range(0, 32).mapToObj(i -> guards.run(TwilioGuards.FETCH_CALL,
                () -> Uni.createFrom().item(new byte[1 << 20]).onItem().delayIt().by(Duration.ofMillis(20)))).toList();
        List<WeakReference<byte[]>> answers = Uni.join().all(attempts).andFailFast().await()
                .atMost(Duration.ofSeconds(20)).stream().map(WeakReference::new).toList();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return answers.stream().allMatch(answer -> answer.get() == null);
        });
    }

    static ResponseDefinitionBuilder rateLimited() {
        return fixture(429, "error-20429.json");
    }

    @SuppressWarnings("unchecked")
    Throwable failureOf(Method operation) {
        Object[] arguments = Arrays.stream(operation.getParameterTypes()).map(type -> {
            if (!ARGUMENTS.containsKey(type)) {
                fail("no argument for " + type.getSimpleName() + " of " + operation.getName() + " in ARGUMENTS");
            }
            return ARGUMENTS.get(type);
        }).toArray();
        Uni<Object> result;
        try {
            result = (Uni<Object>) operation.invoke(client, arguments);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(operation.getName(), e);
        }
        return result.subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitFailure(Duration.ofSeconds(30)).getFailure();
    }
}
