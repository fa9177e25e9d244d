package dev.voicegate.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.approval.Approval;
import dev.voicegate.approval.Approvals;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.LogCapture;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The approvals page: pending approvals with their hooks and a hostile summary as text; approve and deny with the
 * session's CSRF token, the REST endpoints' audit lines, and the first decision standing.
 */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
@WithTestResource(GuardedKeys.class)
class ConsoleApprovalsTest {

    @Inject
    Approvals approvals;

    @Inject
    dev.voicegate.ledger.Ledger ledger;

    Approval open(String summary) {
        return approvals.open(new Approvals.Request("approval-always", TestAccounts.ACCOUNT_SID,
                "idem-" + UUID.randomUUID(), "+14155550199", "+15017122661", summary, "fp")).await().indefinitely();
    }

    @Test
    void pendingApprovalsAreListedWithTheirActionsAndTextAsText() {
        Approval approval = open("<script>alert('x')</script>");
        String html = given().cookie(Sessions.COOKIE, ConsoleClient.signIn("operator").cookie()).get("/console/approvals")
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("<tr data-approval-id=\"" + approval.id() + "\" data-state=\"pending\">"), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), html);
        assertTrue(!html.contains("<script>alert"), html);
        assertTrue(html.contains("data-action=\"approve\"") && html.contains("data-action=\"deny\""), html);
        assertTrue(html.contains("<span title=\"+14155550199\">***0199</span>"), html);
    }

    @Test
    void approveAndDenyNeedTheCsrfTokenAndTheFirstDecisionStands() {
        Approval first = open("call one");
        Approval second = open("call two");
        ConsoleClient.Signed session = ConsoleClient.signIn("operator");
        given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie())
                .post("/console/approvals/" + first.id() + "/approve").then().statusCode(403);
        assertEquals(Approval.State.PENDING, approvals.find(first.id()).await().indefinitely().state());

        try (LogCapture log = LogCapture.install()) {
            decide(session, first.id(), "approve").then().statusCode(303).header("Location", endsWith("done=approved"));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("\"action\":\"approve_call\"")
                    && line.contains("\"key\":\"operator\"") && line.contains(first.id())), log.lines()::toString);
        }
        assertEquals(Approval.State.APPROVED, approvals.find(first.id()).await().indefinitely().state());
        assertTrue(ledger.controls(null, 100).await().indefinitely().events().stream().anyMatch(e -> e.action().equals("approve_call")
                && e.target().equals(first.id()) && e.operator().equals("operator") && e.result().equals("approved")),
                "the decision is a control event in the ledger, as the REST endpoint's");
        decide(session, second.id(), "deny").then().statusCode(303).header("Location", endsWith("done=denied"));
        assertEquals(Approval.State.DENIED, approvals.find(second.id()).await().indefinitely().state());
        decide(session, second.id(), "approve").then().statusCode(303).header("Location", endsWith("done=already-decided"));
        assertEquals(Approval.State.DENIED, approvals.find(second.id()).await().indefinitely().state());
        decide(session, "AP" + "0".repeat(32), "approve").then().statusCode(303).header("Location", endsWith("done=expired"));
        decide(session, "nope", "approve").then().statusCode(404);

        given().cookie(Sessions.COOKIE, session.cookie()).get("/console/approvals?done=approved").then()
                .body(containsString("Approved")).body(containsString("data-state=\"approved\""));
        given().cookie(Sessions.COOKIE, session.cookie()).get("/console/approvals?done=%3Cb%3E").then()
                .statusCode(200).body(not(containsString("<b>")));
    }

    static io.restassured.response.Response decide(ConsoleClient.Signed session, String id, String decision) {
        return given().redirects().follow(false).cookie(Sessions.COOKIE, session.cookie()).formParam("csrf", session.csrf())
                .post("/console/approvals/" + id + "/" + decision);
    }
}
