package dev.voicegate.approval;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.PackagedApp;
import dev.voicegate.testing.RedisBackedTest;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Approval before dialing across two replicas of the packaged service sharing one Redis and one Twilio (WireMock):
 * a make_call pending on replica A, approved on replica B, is placed exactly once by the retry on A and replayed by
 * the retry on B (and A lists the decision among the ledger's control events); denied on B, it is forbidden on A,
 * with nothing sent.
 */
@QuarkusIntegrationTest
@WithTestResource(GuardedKeys.class)
class ApprovalTwoReplicasIT extends RedisBackedTest {

    static final String ALWAYS = "approval-always";
    static final String TO = "+14155551212";
    static final Pattern APPROVAL_ID = Pattern.compile("approval_id (AP[0-9a-f]{32})");

    /** Replica B; replica A is the application under test (RestAssured's default port). */
    PackagedApp b;

    @BeforeEach
    void startReplicaB() {
        b = secondReplica("approval-replica-b", GuardedKeys.config());
    }

    @AfterEach
    void stopReplicaB() {
        if (b != null) {
            b.close();
        }
    }

    static Response makeCall(Integer port, String idempotencyKey) {
        var request = given();
        if (port != null) {
            request = request.port(port);
        }
        Response response = request.header("Authorization", GuardedKeys.bearer(ALWAYS)).contentType(ContentType.JSON)
                .body("{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"" + TO + "\",\"from_\":"
                        + "\"+15017122661\",\"url\":\"https://example.com/twiml\",\"idempotency_key\":\""
                        + idempotencyKey + "\"}")
                .post("/v1/actions/make_call");
        assertEquals(200, response.statusCode(), response.asString());
        return response;
    }

    static String pendingId(Response response) {
        String error = response.jsonPath().getString("error");
        assertTrue(error != null && error.startsWith("pending_approval: approval_id AP"), response.asString());
        Matcher id = APPROVAL_ID.matcher(error);
        assertTrue(id.find(), error);
        return id.group(1);
    }

    void decideOnB(String id, String decision) {
        given().port(b.port()).header("Authorization", GuardedKeys.bearer("operator"))
                .post("/v1/admin/approvals/" + id + "/" + decision).then().statusCode(200);
    }

    @Test
    void approvedOnBPlacesTheCallOnceFromAAndBReplaysIt() {
        String key = "task-" + UUID.randomUUID();
        String id = pendingId(makeCall(null, key));
        twilio.verify(0, anyRequestedFor(anyUrl()));

        decideOnB(id, "approve");
        // The decision is a control event in the shared ledger: replica A lists it.
        given().header("Authorization", GuardedKeys.bearer("operator")).get("/v1/ledger/controls?page_size=1").then()
                .statusCode(200).body("controls[0].action", equalTo("approve_call"))
                .body("controls[0].target", equalTo(id)).body("controls[0].operator", equalTo("operator"))
                .body("controls[0].result", equalTo("approved"));
        Response placed = makeCall(null, key);
        assertEquals(true, placed.jsonPath().getBoolean("success"), placed.asString());
        String callSid = placed.jsonPath().getString("call_sid");
        assertTrue(callSid != null && callSid.startsWith("CA"), placed.asString());
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));

        Response replayed = makeCall(b.port(), key);
        assertEquals(true, replayed.jsonPath().getBoolean("success"), replayed.asString());
        assertEquals(callSid, replayed.jsonPath().getString("call_sid"));
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
    }

    @Test
    void deniedOnBIsForbiddenOnAWithNothingSent() {
        String key = "task-" + UUID.randomUUID();
        String id = pendingId(makeCall(null, key));
        decideOnB(id, "deny");
        String error = makeCall(null, key).jsonPath().getString("error");
        assertTrue(error.startsWith("forbidden: an operator (key 'operator') denied this call (approval_id " + id
                + ") (rule 'approval')"), error);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
