package dev.voicegate.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock extension that turns a share of the stubbed answers into faults, chosen per request by a seeded
 * {@link Random}: the sequence of faults is the same on every run (which request gets which one depends on
 * the order in which concurrent requests arrive). It counts what it injected and, for make_call
 * ({@code POST …/Calls.json}), how many requests per {@code To} number Twilio may have acted on: every answer
 * but a 429, which Twilio documents as never processed.
 * Off until {@link #enable()}: stubs can be set up and warmed without faults.
 */
public final class RandomFaults implements ResponseDefinitionTransformerV2 {

    /** What an answer became. */
    public enum Kind {
        NONE, SERVER_ERROR, CONNECTION_RESET, SLOW, RATE_LIMITED, RATE_LIMITED_RETRY_AFTER
    }

    /** Delay of a {@link Kind#SLOW} answer: longer than the harness's per-attempt timeout. */
    public static final int SLOW_DELAY_MS = WireMockTwilio.SLOWER_THAN_TIMEOUT_MS;

    private static final String SERVER_ERROR_BODY = Fixtures.read("error-20500.json");
    private static final String RATE_LIMITED_BODY = Fixtures.read("error-20429.json");

    private final Random random;
    private final double serverErrors;
    private final double resets;
    private final double slow;
    private final double rateLimited;
    private final Map<Kind, LongAdder> injected = new EnumMap<>(Kind.class);
    private final Map<String, AtomicInteger> actedOnPostsByTo = new ConcurrentHashMap<>();
    private volatile boolean enabled;

    /**
     * @param seed         of the fault sequence
     * @param serverErrors share of answers replaced by HTTP 500 (Twilio error 20500)
     * @param resets       share of connections reset after the request was read
     * @param slow         share of answers delayed by {@link #SLOW_DELAY_MS}
     * @param rateLimited  share of answers replaced by 429 (20429); half of them with {@code Retry-After: 1}
     */
    public RandomFaults(long seed, double serverErrors, double resets, double slow, double rateLimited) {
        this.random = new Random(seed);
        this.serverErrors = serverErrors;
        this.resets = resets;
        this.slow = slow;
        this.rateLimited = rateLimited;
        for (Kind kind : Kind.values()) {
            injected.put(kind, new LongAdder());
        }
    }

    @Override
    public String getName() {
        return "random-faults";
    }

    public void enable() {
        enabled = true;
    }

    public void disable() {
        enabled = false;
    }

    /** Answers served with this kind since the server started ({@link Kind#NONE}: normal answers). */
    public long count(Kind kind) {
        return injected.get(kind).sum();
    }

    /** Faults of every kind together. */
    public long faults() {
        return injected.entrySet().stream().filter(e -> e.getKey() != Kind.NONE).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** make_call requests Twilio may have acted on (any answer but 429), by their {@code To} form parameter. */
    public Map<String, Integer> actedOnPostsByTo() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        actedOnPostsByTo.forEach((to, count) -> copy.put(to, count.get()));
        return copy;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition normal = serveEvent.getResponseDefinition();
        Kind kind = enabled ? next() : Kind.NONE;
        injected.get(kind).increment();
        Request request = serveEvent.getRequest();
        if (kind != Kind.RATE_LIMITED && kind != Kind.RATE_LIMITED_RETRY_AFTER
                && "POST".equals(request.getMethod().getName()) && request.getUrl().endsWith("/Calls.json")) {
            String to = formParameter(request.getBodyAsString(), "To");
            if (to != null) {
                actedOnPostsByTo.computeIfAbsent(to, t -> new AtomicInteger()).incrementAndGet();
            }
        }
        return switch (kind) {
            case NONE -> normal;
            case SERVER_ERROR -> ResponseDefinitionBuilder.like(normal).but().withStatus(500)
                    .withBody(SERVER_ERROR_BODY).build();
            case CONNECTION_RESET -> ResponseDefinitionBuilder.like(normal).but()
                    .withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            case SLOW -> ResponseDefinitionBuilder.like(normal).but().withFixedDelay(SLOW_DELAY_MS).build();
            case RATE_LIMITED -> ResponseDefinitionBuilder.like(normal).but().withStatus(429)
                    .withBody(RATE_LIMITED_BODY).build();
            case RATE_LIMITED_RETRY_AFTER -> ResponseDefinitionBuilder.like(normal).but().withStatus(429)
                    .withHeader("Retry-After", "1").withBody(RATE_LIMITED_BODY).build();
        };
    }

    private Kind next() {
        double draw;
        boolean withRetryAfter;
        synchronized (random) {
            draw = random.nextDouble();
            withRetryAfter = random.nextBoolean();
        }
        if ((draw -= serverErrors) < 0) {
            return Kind.SERVER_ERROR;
        }
        if ((draw -= resets) < 0) {
            return Kind.CONNECTION_RESET;
        }
        if ((draw -= slow) < 0) {
            return Kind.SLOW;
        }
        if (draw - rateLimited < 0) {
            return withRetryAfter ? Kind.RATE_LIMITED_RETRY_AFTER : Kind.RATE_LIMITED;
        }
        return Kind.NONE;
    }

    private static String formParameter(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && name.equals(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8))) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
