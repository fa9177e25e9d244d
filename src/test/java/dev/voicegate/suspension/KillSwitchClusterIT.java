package dev.voicegate.suspension;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.InjectRedis;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisCluster;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The kill switch across two packaged replicas on a real Redis Cluster ({@code REDIS_CLIENT_TYPE=cluster}): a
 * suspension made on one refuses the key on the other, through the channel (published on whichever node, heard on
 * every one), and so does the resume.
 */
@QuarkusIntegrationTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(RedisCluster.class)
@WithTestResource(GuardedKeys.class)
class KillSwitchClusterIT {

    @InjectWireMock
    WireMockServer twilio;

    @InjectRedis
    RedisCluster cluster;

    PackagedApp second;

    @BeforeEach
    void startSecondReplica() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(fixture(201, "call-created.json")));
        Map<String, String> settings = new LinkedHashMap<>(GuardedKeys.config());
        settings.put("quarkus.redis.client-type", "cluster");
        second = PackagedApp.replica("kill-switch-cluster-replica", WireMockTwilio.baseUrl(twilio), cluster.hosts(), settings);
    }

    @AfterEach
    void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aSuspensionOnOneReplicaRefusesTheKeyOnTheOther() {
        await().atMost(Duration.ofSeconds(10)).until(() -> KillSwitchTwoReplicasIT.makeCall(second.port()) == 201);
        KillSwitchTwoReplicasIT.control("suspend");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> KillSwitchTwoReplicasIT.makeCall(second.port()) == 403);
        KillSwitchTwoReplicasIT.control("resume");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> KillSwitchTwoReplicasIT.makeCall(second.port()) == 201);
    }
}
