package dev.voicegate.api;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The statuses and headers a caller can receive from each operation, beyond what its annotations declare: every
 * error answer carries the {@link Envelope}. Applied by {@link ApiDocumentFilter}; the table is docs/api.md's.
 */
final class ApiOutcomes {

    static final String RETRY_AFTER = "Retry-After";
    static final String LINK = "Link";

    private ApiOutcomes() {
    }

    static void declare(String path, PathItem.HttpMethod method, Operation operation) {
        if (!path.startsWith("/v1/")) {
            return;
        }
        APIResponses responses = operation.getResponses();
        if (path.startsWith("/v1/ledger/")) {
            ledger(path, responses);
        }
        if (path.startsWith("/v1/admin/approvals")) {
            approvals(responses);
        }
        if (path.startsWith("/v1/admin/do-not-call")) {
            doNotCall(path, responses);
        }
        boolean agentsDoNotCall = path.startsWith("/v1/accounts/") && path.endsWith("/do-not-call");
        if (agentsDoNotCall) {
            // add_do_not_call's REST route: nothing reaches Twilio, so none of Twilio's outcomes apply.
            error(responses, "400", "invalid_request: not an E.164 number, an unknown parameter or a bad body", false);
            error(responses, "403", "forbidden: the key's policy does not let it add numbers (rule 'add-do-not-call'), "
                    + "or an account it may not use", false);
            error(responses, "429", "rate_limited: the key's request quota, or the in-memory list is full", true);
            error(responses, "503", "upstream_unavailable: the do-not-call list's store (Redis) is unreachable, or the "
                    + "instance is shutting down (nothing was done: retry, on another instance)", true);
        }
        // api/ShutdownGate refuses every new /v1 request while the instance drains.
        error(responses, "503", "upstream_unavailable: shutting down (nothing was done: retry, on another instance), "
                + "or the store behind idempotency keys and quotas is unreachable", true);
        if (path.startsWith("/v1/actions/")) {
            APIResponse ok = responses.getAPIResponse("200");
            header(ok, RETRY_AFTER, "Seconds to wait, when a rate_limited or upstream_unavailable outcome says when to "
                    + "retry", seconds());
            if (path.endsWith("/list_calls")) {
                header(ok, Responses.NEXT_PAGE_TOKEN, "The page_token of the next page; absent on the last page",
                        string());
            }
            if (path.endsWith("/make_call")) {
                // pending_approval is answered with 200 here, the envelope's error naming the approval_id.
                header(ok, Responses.IDEMPOTENT_REPLAYED, "true when the outcome is the stored one of an earlier "
                        + "request with the same idempotency_key (nothing was sent to Twilio)", string());
            }
            return;
        }
        if (!path.startsWith("/v1/accounts/") || agentsDoNotCall) {
            return;
        }
        error(responses, "400", "invalid_request: a parameter is missing or wrong; nothing was sent to Twilio", false);
        error(responses, "403", "forbidden: no credentials for the account, or the key's policy refuses it (for "
                + "make_call also its calling hours, or a number on the do-not-call list)", false);
        error(responses, "404", "not_found: Twilio has no such resource", false);
        error(responses, "429", "rate_limited: Twilio's concurrency limit, Voicegate's per-account limit or the key's "
                + "quota", true);
        error(responses, "502", "twilio_error, upstream_unavailable or outcome_unknown: 'error' says which", false);
        error(responses, "504", "timeout (or outcome_unknown after one): Twilio did not answer in time", false);
        boolean media = path.endsWith("/media");
        if (media && method == PathItem.HttpMethod.GET) {
            error(responses, "416", "The Range starts past the end of the recording", false);
        }
        if (path.endsWith("/calls") && method == PathItem.HttpMethod.POST) {
            error(responses, "409", "The Idempotency-Key was used with other parameters, or its first request is "
                    + "still in progress (then with Retry-After)", true);
            error(responses, "202", "pending_approval: the key's calls need an operator's approval; 'error' names the "
                    + "approval_id. Nothing was sent to Twilio: repeat the request with the same Idempotency-Key", false);
            header(responses.getAPIResponse("403"), RETRY_AFTER, "Seconds until the key's calling hours open in every "
                    + "time zone of 'to' (rule 'calling-hours')", seconds());
            header(responses.getAPIResponse("201"), Responses.IDEMPOTENT_REPLAYED, "true when the outcome is the "
                    + "stored one of an earlier request with the same Idempotency-Key (nothing was sent to Twilio)",
                    string());
        }
        if (path.endsWith("/calls") && method == PathItem.HttpMethod.GET) {
            header(responses.getAPIResponse("200"), LINK, "<url>; rel=\"next\": the next page, when there is one",
                    string());
        }
    }

    /** The ledger's reads: nothing reaches Twilio, only operator keys may read, and the store may be down. */
    private static void ledger(String path, APIResponses responses) {
        error(responses, "400", "invalid_request: a parameter is unknown, repeated or wrong", false);
        error(responses, "403", "forbidden: not an operator key (rule 'role'), or an account the key may not use "
                + "(rule 'accounts')", false);
        error(responses, "503", "upstream_unavailable: the ledger's store (Redis) is unreachable, or the instance is "
                + "shutting down (nothing was done: retry, on another instance)", true);
        if (path.endsWith("/calls") || path.endsWith("/controls")) {
            APIResponse ok = responses.getAPIResponse("200");
            header(ok, Responses.NEXT_PAGE_TOKEN, "The page_token of the next page; absent on the last page", string());
            header(ok, LINK, "<url>; rel=\"next\": the next page, when there is one", string());
        }
    }

    /** The approvals before dialing: operator keys only, nothing reaches Twilio, the store may be down. */
    private static void approvals(APIResponses responses) {
        error(responses, "400", "invalid_request: a query string, or an approval_id that is not one", false);
        error(responses, "403", "forbidden: not an operator key (rule 'role'), or an account the key may not use "
                + "(rule 'accounts')", false);
        error(responses, "503", "upstream_unavailable: the approvals' store (Redis) is unreachable, or the instance is "
                + "shutting down (nothing was done: retry, on another instance)", true);
    }

    /** The do-not-call list: nothing reaches Twilio, only operator keys may use it, and its store may be down. */
    private static void doNotCall(String path, APIResponses responses) {
        error(responses, "400", "invalid_request: not an E.164 number, an unknown parameter or a bad body", false);
        error(responses, "403", "forbidden: not an operator key (rule 'role')", false);
        error(responses, "503", "upstream_unavailable: the list's store (Redis) is unreachable, or the instance is "
                + "shutting down (nothing was done: retry, on another instance)", true);
        if (path.endsWith("/do-not-call")) {
            APIResponse ok = responses.getAPIResponse("200");
            header(ok, Responses.NEXT_PAGE_TOKEN, "The page_token of the next page; absent on the last page", string());
            header(ok, LINK, "<url>; rel=\"next\": the next page, when there is one", string());
        }
    }

    private static void error(APIResponses responses, String code, String description, boolean retryAfter) {
        APIResponse response = responses.getAPIResponse(code);
        if (response == null) {
            response = OASFactory.createAPIResponse().description(description);
            responses.addAPIResponse(code, response);
        }
        if (response.getContent() == null || response.getContent().getMediaTypes().isEmpty()) {
            response.setContent(OASFactory.createContent().addMediaType("application/json",
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ApiDocumentFilter.ENVELOPE))));
        }
        if (retryAfter) {
            header(response, RETRY_AFTER, "Seconds to wait before retrying", seconds());
        }
    }

    private static void header(APIResponse response, String name, String description, Schema schema) {
        if (response == null || (response.getHeaders() != null && response.getHeaders().containsKey(name))) {
            return;
        }
        Header header = OASFactory.createHeader().description(description).schema(schema);
        response.addHeader(name, header);
    }

    private static Schema seconds() {
        return OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(BigDecimal.ONE);
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    }
}
