package dev.voicegate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.voicegate.testing.InjectRedis;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.RedisCluster;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * The service on a real Redis Cluster ({@code quarkus.redis.client-type=cluster}), and a master killed during keyed
 * make_calls: each call (and its immediate retry) is placed or fails closed (503 {@code upstream_unavailable}), Twilio
 * never receives one key's call twice, and once a replica has taken over, every key is answered and new keys are placed.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(RedisCluster.class)
class RedisClusterFailoverTest {

    @InjectWireMock
    WireMockServer twilio;

    @InjectRedis
    RedisCluster cluster;

    static String redisKey(String key) {
        return RedisIdempotencyStore.redisKey(TestAccounts.ACCOUNT_SID.toLowerCase() + ":" + key);
    }

    static String to(int i) {
        return "+1415" + (5_000_000 + i);
    }

    static ExtractableResponse<Response> call(String key, int i) {
        return IdempotencyTest.rest(key, IdempotencyTest.call(to(i))).extract();
    }

    /** 201, or 503 upstream_unavailable (failed closed); returns the status. */
    static int placedOrFailedClosed(ExtractableResponse<Response> response) {
        int status = response.statusCode();
        assertTrue(status == 201 || status == 503, () -> status + " " + response.asString());
        if (status == 503) {
            assertTrue(response.<String>path("error").startsWith("upstream_unavailable: "), response.asString());
        }
        return status;
    }

    @Test
    void aMasterFailsOverDuringKeyedCallsAndNoCallIsPlacedTwice() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        String run = "fo-" + System.nanoTime() + "-";
        await().atMost(Duration.ofSeconds(30)).until(() -> call(run + "warm", 99_999).statusCode() == 201);

        Map<String, Integer> keys = new LinkedHashMap<>();
        int victim = -1;
        boolean failedOver = false;
        int after = 0;
        int failedClosed = 0;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // traffic until 20 calls after the failover
        for (int i = 0; after < 20 && System.nanoTime() < until; i++) {
            String key = run + i;
            keys.put(key, i);
            if (i == 5) {
                victim = cluster.killMasterOf(redisKey(key));
            }
            failedClosed += placedOrFailedClosed(call(key, i)) == 503 ? 1 : 0;
            placedOrFailedClosed(call(key, i)); // the caller's retry
            if (victim > 0 && !failedOver) {
                failedOver = failedOver(redisKey(run + 5), victim);
            }
            after += failedOver ? 1 : 0;
        }
        assertTrue(failedOver, () -> "the replica took over within 60 s:\n" + cluster.describe());
        assertTrue(failedClosed > 0, "some keyed calls met the dead master and failed closed");
        cluster.awaitHealthy();

        // Every key is answered again (replayed, or placed now if it had failed closed); new keys are placed.
        keys.forEach((key, i) -> await().atMost(Duration.ofSeconds(20))
                .until(() -> List.of(201, 409).contains(call(key, i).statusCode())));
        for (int i = 0; i < 10; i++) {
            assertEquals(201, call(run + "after-" + i, 10_000 + i).statusCode());
        }

        Map<String, Integer> placed = new HashMap<>();
        List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlEqualTo(CALLS)));
        for (LoggedRequest request : requests) {
            placed.merge(param(request.getBodyAsString(), "To"), 1, Integer::sum);
        }
        List<String> twice = new ArrayList<>();
        placed.forEach((number, count) -> {
            if (count > 1) {
                twice.add(number + " x" + count);
            }
        });
        assertEquals(List.of(), twice, "no key's call placed twice");
        System.out.println("failover: " + keys.size() + " keys during traffic, " + failedClosed + " failed closed, "
                + requests.size() + " calls placed");
    }

    private boolean failedOver(String key, int victim) {
        try {
            return cluster.masterOf(key) != victim;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static String param(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
