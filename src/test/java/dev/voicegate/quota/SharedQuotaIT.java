package dev.voicegate.quota;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.Fixtures;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectRedis;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisServer;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Two replicas of the packaged service share one Redis: 40 concurrent make_calls with a key allowed 10 a minute,
 * spread over both, place exactly 10 calls; a restarted replica still knows they were placed.
 */
@QuarkusIntegrationTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(RedisServer.class)
@WithTestResource(GuardedKeys.class)
class SharedQuotaIT {

    static final String CALLS = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID + "/Calls.json";

    @InjectWireMock
    WireMockServer twilio;

    @InjectRedis
    RedisServer redis;

    Process second;
    int secondPort;

    @BeforeEach
    void startSecondReplica() throws IOException {
        twilio.resetAll();
        try (ServerSocket socket = new ServerSocket(0)) {
            secondPort = socket.getLocalPort();
        }
        startSecond();
    }

    void startSecond() throws IOException {
        List<String> properties = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + secondPort,
                "-Dquarkus.rest-client.twilio.url=" + WireMockTwilio.baseUrl(twilio),
                "-Dquarkus.redis.hosts=" + redis.url(),
                "-Dvoicegate.twilio.account-sid=" + TestAccounts.ACCOUNT_SID,
                "-Dvoicegate.twilio.auth-token=" + TestAccounts.AUTH_TOKEN,
                "-Dvoicegate.access.service-api-keys=" + TestAccounts.SERVICE_KEY));
        for (Map.Entry<String, String> setting : GuardedKeys.config().entrySet()) {
            properties.add("-D" + setting.getKey() + "=" + setting.getValue());
        }
        second = new ProcessBuilder(PackagedApp.command(properties)).redirectErrorStream(true)
                .redirectOutput(new File("target/shared-quota-replica.log")).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> readyAt(secondPort));
    }

    @AfterEach
    void stopSecondReplica() {
        if (second != null) {
            second.destroy();
        }
    }

    static boolean readyAt(int port) {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception notYet) { // RestAssured rethrows ConnectException undeclared
            return false;
        }
    }

    static Response makeCall(int port) {
        return makeCall(port, GuardedKeys.bearer("shared"));
    }

    static Response makeCall(int port, String authorization) {
        return given().port(port).header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"to\":\"+14155551212\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}")
                .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls");
    }

    @Test
    void fortyConcurrentCallsAcrossTwoReplicasPlaceExactlyTheTenAMinuteAllowed() throws Exception {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(201).withFixedDelay(100)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.read("call-created.json"))));
        int firstPort = RestAssured.port;
        // Warm both replicas with the unnamed key (no quota): a cold first call can outlast the 1 s test timeout.
        for (int port : List.of(firstPort, secondPort)) {
            makeCall(port, TestAccounts.bearer(TestAccounts.SERVICE_KEY));
        }
        twilio.resetRequests();

        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<Response> answers;
        try {
            List<CompletableFuture<Response>> calls = IntStream.range(0, 40)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> makeCall(i % 2 == 0 ? firstPort : secondPort), pool))
                    .toList();
            answers = calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
        // Exactly ten were sent. Each answers 201, or 504 outcome_unknown if Twilio (WireMock) was slower than the
        // per-attempt timeout on this loaded machine: sent all the same, and counted.
        Map<Integer, Long> statuses = answers.stream().collect(Collectors.groupingBy(Response::statusCode,
                Collectors.counting()));
        assertEquals(30L, statuses.get(429), statuses.toString());
        assertEquals(10L, statuses.getOrDefault(201, 0L) + statuses.getOrDefault(504, 0L), statuses.toString());
        for (Response refused : answers.stream().filter(r -> r.statusCode() == 429).toList()) {
            int retryAfter = Integer.parseInt(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertTrue(refused.jsonPath().getString("error").startsWith("rate_limited: key 'shared' has used its 10 calls "
                    + "in the last minute (rule 'max-calls-per-minute')"), refused.asString());
        }
        twilio.verify(10, postRequestedFor(urlEqualTo(CALLS)));

        // A replica that restarts counts on: the calls are in Redis, not in its memory.
        second.destroy();
        await().atMost(Duration.ofSeconds(30)).until(() -> !second.isAlive());
        startSecond();
        Function<Integer, Integer> status = port -> makeCall(port).statusCode();
        assertEquals(429, status.apply(secondPort));
        assertEquals(429, status.apply(firstPort));
        twilio.verify(10, postRequestedFor(urlEqualTo(CALLS)));
    }
}
