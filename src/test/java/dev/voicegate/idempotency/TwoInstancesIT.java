package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.Fixtures;
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

/**
 * Two replicas of the packaged service share one Redis: 50 concurrent make_calls with one key,
 * spread over both, reach Twilio exactly once and all answer with the same call.
 */
@QuarkusIntegrationTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(RedisServer.class)
class TwoInstancesIT {

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
        second = new ProcessBuilder(PackagedApp.command(List.of(
                "-Dquarkus.http.port=" + secondPort,
                "-Dquarkus.rest-client.twilio.url=" + WireMockTwilio.baseUrl(twilio),
                "-Dquarkus.redis.hosts=" + redis.url(),
                "-Dvoicegate.twilio.account-sid=" + TestAccounts.ACCOUNT_SID,
                "-Dvoicegate.twilio.auth-token=" + TestAccounts.AUTH_TOKEN,
                "-Dvoicegate.access.service-api-keys=" + TestAccounts.SERVICE_KEY)))
                .redirectErrorStream(true).redirectOutput(new File("target/second-replica.log")).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> readyAt(secondPort));
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

    @Test
    void fiftyConcurrentRequestsWithOneKeyAcrossTwoReplicasPlaceOneCall() throws Exception {
        twilio.stubFor(post(urlEqualTo(IdempotencyTest.CALLS)).willReturn(aResponse().withStatus(201).withFixedDelay(300)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.read("call-created.json"))));
        int firstPort = RestAssured.port;
        String key = "two-replicas-" + System.nanoTime();

        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<String>> answers = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().port(i % 2 == 0 ? firstPort : secondPort)
                            .header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                            .header("Idempotency-Key", key).contentType(ContentType.JSON)
                            .body(IdempotencyTest.call("+14155551212"))
                            .post("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls")
                            .then().statusCode(201).extract().path("call_sid").toString(), pool))
                    .toList();
            Set<String> sids = answers.stream().map(CompletableFuture::join).collect(Collectors.toSet());
            assertEquals(Set.of(IdempotencyTest.CALL_SID), sids);
        } finally {
            pool.shutdownNow();
        }
        twilio.verify(1, postRequestedFor(urlEqualTo(IdempotencyTest.CALLS)));
    }
}
