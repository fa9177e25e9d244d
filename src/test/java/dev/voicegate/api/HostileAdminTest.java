package dev.voicegate.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Hostile input on issue #22's operator controls: the kill switch ({@code /v1/admin/keys}, {@code end-all}),
 * approvals and the do-not-call list, with operator keys (bad paths, queries and bodies: {@code invalid_request} or
 * {@code not_found}) and with agent keys (always {@code forbidden}, rule {@code role}); end_call with an operator key
 * that may not run it. end_call's own parameters and paths are in the other {@code Hostile*Test} suites. Nothing
 * reaches Twilio, and no case changes state: each would suspend a key or list a number only if it were wrongly
 * accepted.
 */
@QuarkusTest
@WithTestResource(GuardedKeys.class)
class HostileAdminTest extends HostileInputSuite {

    static final String OPERATOR = GuardedKeys.bearer("operator");
    /** An operator limited to the second account. */
    static final String OPERATOR_SECOND = GuardedKeys.bearer("operator-second");
    /** The key the suspend cases aim at (KillSwitchTest suspends and resumes it; here it stays active). */
    static final String TARGET = "suspendable";
    static final String APPROVAL_ID = "AP" + "0123456789abcdef".repeat(2);
    /** A number no case may list: the PUT cases with a bad body aim at it. */
    static final String NUMBER = "%2B14155550199";
    static final Map<String, String> AGENTS = new LinkedHashMap<>();

    static {
        AGENTS.put("named agent", GuardedKeys.bearer("outbound"));
        AGENTS.put("agent that may end any call", GuardedKeys.bearer("ender"));
        AGENTS.put("unnamed key", SERVICE_KEY);
        // Basic-auth credentials are Twilio's to check, so a wrong token is a pass-through agent as well.
        AGENTS.put("pass-through", TestAccounts.basic(ACCOUNT, TestAccounts.AUTH_TOKEN));
        AGENTS.put("pass-through with a wrong token", TestAccounts.basic(ACCOUNT, "wrong"));
    }

    static Stream<Arguments> corpus() {
        List<Case> cases = new ArrayList<>();
        roleCases(cases);
        keysCases(cases);
        endAllCases(cases);
        approvalCases(cases);
        doNotCallCases(cases);
        return arguments(cases);
    }

    /** Every admin endpoint, with a valid request: agents are refused (rule role), bad credentials are 401. */
    static void roleCases(List<Case> cases) {
        Map<String, Function<RequestSpecification, Response>> endpoints = new LinkedHashMap<>();
        endpoints.put("GET keys", r -> r.get("/v1/admin/keys"));
        endpoints.put("POST keys/{name}/suspend", r -> r.contentType("application/json")
                .body("{\"end_active_calls\":true,\"reason\":\"x\"}").post("/v1/admin/keys/" + TARGET + "/suspend"));
        endpoints.put("POST keys/{name}/resume", r -> r.post("/v1/admin/keys/" + TARGET + "/resume"));
        endpoints.put("POST calls/end-all", r -> r.post("/v1/admin/calls/end-all?account_sid=" + ACCOUNT));
        endpoints.put("GET approvals", r -> r.get("/v1/admin/approvals"));
        endpoints.put("POST approvals/{id}/approve", r -> r.post("/v1/admin/approvals/" + APPROVAL_ID + "/approve"));
        endpoints.put("POST approvals/{id}/deny", r -> r.post("/v1/admin/approvals/" + APPROVAL_ID + "/deny"));
        endpoints.put("PUT do-not-call/{number}", r -> r.contentType("application/json").body("{\"reason\":\"x\"}")
                .put("/v1/admin/do-not-call/" + NUMBER));
        endpoints.put("DELETE do-not-call/{number}", r -> r.delete("/v1/admin/do-not-call/" + NUMBER));
        endpoints.put("GET do-not-call/{number}", r -> r.get("/v1/admin/do-not-call/" + NUMBER));
        endpoints.put("GET do-not-call", r -> r.get("/v1/admin/do-not-call?page_size=10"));
        Map<String, String> badAuth = new LinkedHashMap<>();
        badAuth.put("no credentials", "");
        badAuth.put("unknown bearer", "Bearer " + GuardedKeys.secret("operator").toUpperCase());
        badAuth.put("operator key with a tab", GuardedKeys.bearer("operator") + "\tx");
        badAuth.put("huge bearer", "Bearer " + "k".repeat(16_000));
        endpoints.forEach((name, request) -> {
            AGENTS.forEach((agent, header) -> cases.add(admin(agent + ": " + name, header, request, 403, FORBIDDEN,
                    "(rule 'role')")));
            badAuth.forEach((what, header) -> cases.add(admin(what + ": " + name, header, request, 401, UNAUTHORIZED,
                    null)));
        });
        // An operator key that lists no actions runs none: end_call, on both of its routes, is refused as well.
        cases.add(admin("operator: end_call tool call", OPERATOR, r -> r.contentType("application/json")
                .body(body(END_CALL, null, null)).post("/v1/actions/end_call"), 200, FORBIDDEN, "(rule 'role')"));
        cases.add(admin("operator: POST calls/{sid}/end", OPERATOR, r -> r.post("/v1/accounts/" + ACCOUNT + "/calls/"
                + CALL_SID + "/end"), 403, FORBIDDEN, "(rule 'role')"));
    }

    /** The kill switch: key names in the path, and suspend's optional body. */
    static void keysCases(List<Case> cases) {
        for (String name : List.of("nobody", "Suspendable", TARGET + "%20", TARGET + "%00", TARGET + "%0D%0AX:1",
                "..%2F" + TARGET, "%E2%80%AE" + TARGET, "%2A", "a".repeat(1000))) {
            for (String verb : List.of("suspend", "resume")) {
                cases.add(admin("POST keys/" + abbreviate(name) + "/" + verb, OPERATOR,
                        r -> r.post("/v1/admin/keys/" + name + "/" + verb), 404, NOT_FOUND, "no configured key"));
            }
        }
        cases.add(admin("POST keys/{itself}/suspend", OPERATOR, r -> r.post("/v1/admin/keys/operator/suspend"), 400,
                INVALID, "may not suspend itself"));

        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("trailing garbage", "{\"reason\":\"x\"} x");
        bodies.put("two objects", "{}{}");
        bodies.put("truncated", "{\"reason\":\"x");
        bodies.put("array", "[{\"reason\":\"x\"}]");
        bodies.put("string scalar", "\"x\"");
        bodies.put("number scalar", "42");
        bodies.put("null scalar", "null");
        bodies.put("single quotes", "{'reason':'x'}");
        bodies.put("comment", "/* hi */{}");
        bodies.put("NaN", "{\"x\":NaN}");
        bodies.put("nested 5000 deep", "{\"reason\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        bodies.put("duplicate key", "{\"reason\":\"a\",\"reason\":\"b\"}");
        bodies.put("unescaped control character", "{\"reason\":\"a\u0001b\"}");
        for (String value : List.of("\"yes\"", "\"true\"", "1", "0", "[]", "{}", "[true]")) {
            bodies.put("end_active_calls " + value, "{\"end_active_calls\":" + value + "}");
        }
        for (Map.Entry<String, String> reason : Map.of("as a number", "42", "as a boolean", "true", "as an array",
                "[\"x\"]", "as an object", "{\"$gt\":\"\"}", "201 chars", quote("r".repeat(201)), "5000 chars",
                quote("r".repeat(5000)), "with NUL", "\"a\\u0000b\"", "with ESC sequence", "\"a\\u001b[2Jb\"",
                "with CRLF", "\"a\\r\\nX-Injected: 1\"", "with DEL", "\"a\\u007fb\"").entrySet()) {
            bodies.put("reason " + reason.getKey(), "{\"reason\":" + reason.getValue() + "}");
        }
        bodies.put("reason with C1 control", "{\"reason\":\"a\\u0085b\"}");
        for (String unknown : List.of("From", "__proto__", "end_active_calls ", "endActiveCalls", "key", "$where")) {
            bodies.put("unknown field '" + unknown + "'", "{\"" + unknown + "\":true}");
        }
        bodies.forEach((name, body) -> cases.add(admin("POST keys/{name}/suspend: " + name, OPERATOR,
                r -> r.contentType("application/json").body(body).post("/v1/admin/keys/" + TARGET + "/suspend"), 400,
                INVALID, null)));
        cases.add(admin("POST keys/{name}/suspend: 70000 bytes of whitespace", OPERATOR,
                r -> r.contentType("application/json").body(" ".repeat(70_000) + "{}")
                        .post("/v1/admin/keys/" + TARGET + "/suspend"), 413, INVALID, null));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json")) {
            cases.add(admin("POST keys/{name}/suspend sent as " + type, OPERATOR,
                    r -> withBody(r.contentType(type), type, "{\"reason\":\"x\"}")
                            .post("/v1/admin/keys/" + TARGET + "/suspend"), 400, INVALID, "application/json"));
        }
    }

    /** {@code POST /v1/admin/calls/end-all?account_sid=}: the account must be one SID the operator may use. */
    static void endAllCases(List<Case> cases) {
        String path = "/v1/admin/calls/end-all";
        for (String query : List.of("", "?account_sid=", "?account_sid=AC123", "?account_sid=ac" + ACCOUNT.substring(2),
                "?account_sid=" + ACCOUNT + "%00", "?account_sid=" + ACCOUNT + "%0D%0AX:1",
                "?account_sid=%E2%80%AE" + ACCOUNT, "?account_sid=..%2F" + ACCOUNT, "?account_sid=" + "a".repeat(3000),
                "?account_sid=%20" + ACCOUNT, "?account_sid=*", "?account_sid=" + ACCOUNT.replace("AC", "CA"))) {
            cases.add(admin("POST calls/end-all" + abbreviate(query), OPERATOR, r -> r.post(path + query), 400, INVALID,
                    "'account_sid'"));
        }
        cases.add(admin("POST calls/end-all, the account of another operator", OPERATOR_SECOND,
                r -> r.post(path + "?account_sid=" + ACCOUNT), 403, FORBIDDEN, "(rule 'accounts')"));
    }

    /** Approval ids in the path and query strings on the approval endpoints. */
    static void approvalCases(List<Case> cases) {
        for (String id : List.of("AP123", "AP" + "0123456789ABCDEF".repeat(2), APPROVAL_ID + "0", "ap" + APPROVAL_ID
                .substring(2), APPROVAL_ID + "%00", APPROVAL_ID + "%0D%0A", "%E2%80%8B" + APPROVAL_ID,
                "..%2F" + APPROVAL_ID, APPROVAL_ID + "%3Fx=1", "CA" + APPROVAL_ID.substring(2), "a".repeat(1000))) {
            for (String verb : List.of("approve", "deny")) {
                cases.add(admin("POST approvals/" + abbreviate(id) + "/" + verb, OPERATOR,
                        r -> r.post("/v1/admin/approvals/" + id + "/" + verb), 400, INVALID, "'approval_id'"));
            }
        }
        for (String verb : List.of("approve", "deny")) {
            cases.add(admin("POST approvals/{unknown}/" + verb, OPERATOR,
                    r -> r.post("/v1/admin/approvals/" + APPROVAL_ID + "/" + verb), 404, NOT_FOUND, "no live approval"));
            cases.add(admin("POST approvals/{id}/" + verb + "?force=true", OPERATOR,
                    r -> r.post("/v1/admin/approvals/" + APPROVAL_ID + "/" + verb + "?force=true"), 400, INVALID,
                    "no query parameters"));
        }
        for (String query : List.of("page_size=10", "x%00=1", "state=pending")) {
            cases.add(admin("GET approvals?" + query, OPERATOR, r -> r.get("/v1/admin/approvals?" + query), 400, INVALID,
                    "no query parameters"));
        }
    }

    /**
     * Numbers in the path, PUT's optional body, and the list's query string. Separators inside or after an E.164
     * number ({@code +1 (415) 555-1212}) are normalised, by design, so they are not among the bad numbers.
     */
    static void doNotCallCases(List<Case> cases) {
        String list = "/v1/admin/do-not-call";
        for (String number : List.of("14155551212", "%2B0123", "%2B12", "%2B999123456789", "tel:%2B14155551212",
                "%20%2B14155551212", "%2B14155551212%00", "%2B14155551212%0D%0AX:1",
                "%2B1415555121%D9%A1", "%2B%EF%BC%91%EF%BC%94%EF%BC%91%EF%BC%95%EF%BC%95%EF%BC%95%EF%BC%95%EF%BC%91%EF%BC%92",
                "%E2%80%AE%2B14155551212", "%2B14155551212%2F..%2F..%2Fkeys", "%2B" + "9".repeat(300), "%2B1415555121299999",
                "%27%20OR%201=1--", "%3Cscript%3E", "%2A")) {
            cases.add(admin("PUT do-not-call/" + abbreviate(number), OPERATOR, r -> r.put(list + "/" + number), 400,
                    INVALID, null));
            cases.add(admin("DELETE do-not-call/" + abbreviate(number), OPERATOR, r -> r.delete(list + "/" + number),
                    400, INVALID, null));
            cases.add(admin("GET do-not-call/" + abbreviate(number), OPERATOR, r -> r.get(list + "/" + number), 400,
                    INVALID, null));
        }
        cases.add(admin("GET do-not-call/{unlisted}", OPERATOR, r -> r.get(list + "/" + NUMBER), 404, NOT_FOUND,
                "not on the do-not-call list"));
        for (String query : List.of("reason=x", "number=%2B14155551212", "x%00=1")) {
            cases.add(admin("PUT do-not-call/{number}?" + query, OPERATOR, r -> r.put(list + "/" + NUMBER + "?" + query),
                    400, INVALID, "no query parameters"));
            cases.add(admin("DELETE do-not-call/{number}?" + query, OPERATOR,
                    r -> r.delete(list + "/" + NUMBER + "?" + query), 400, INVALID, "no query parameters"));
            cases.add(admin("GET do-not-call/{number}?" + query, OPERATOR, r -> r.get(list + "/" + NUMBER + "?" + query),
                    400, INVALID, "no query parameters"));
        }

        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("trailing garbage", "{\"reason\":\"x\"} x");
        bodies.put("truncated", "{\"reason\":\"x");
        bodies.put("array", "[{\"reason\":\"x\"}]");
        bodies.put("string scalar", "\"x\"");
        bodies.put("null scalar", "null");
        bodies.put("nested 5000 deep", "{\"reason\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        bodies.put("duplicate key", "{\"reason\":\"a\",\"reason\":\"b\"}");
        bodies.put("reason as a number", "{\"reason\":42}");
        bodies.put("reason as an array", "{\"reason\":[\"x\"]}");
        bodies.put("reason as an object", "{\"reason\":{\"$gt\":\"\"}}");
        bodies.put("reason of 501 chars", "{\"reason\":" + quote("r".repeat(501)) + "}");
        bodies.put("reason of 60000 chars", "{\"reason\":" + quote("r".repeat(60_000)) + "}");
        bodies.put("reason with NUL", "{\"reason\":\"a\\u0000b\"}");
        bodies.put("reason with ESC sequence", "{\"reason\":\"a\\u001b[2Jb\"}");
        bodies.put("reason with CRLF", "{\"reason\":\"a\\r\\nX-Injected: 1\"}");
        bodies.put("reason with DEL", "{\"reason\":\"a\\u007fb\"}");
        for (String unknown : List.of("number", "added_by", "__proto__", "reason ", "$where")) {
            bodies.put("unknown field '" + unknown + "'", "{\"" + unknown + "\":\"x\"}");
        }
        bodies.forEach((name, body) -> cases.add(admin("PUT do-not-call/{number}: " + name, OPERATOR,
                r -> r.contentType("application/json").body(body).put(list + "/" + NUMBER), 400, INVALID, null)));
        cases.add(admin("PUT do-not-call/{number}: 70000 bytes", OPERATOR, r -> r.contentType("application/json")
                .body("{\"reason\":" + quote("r".repeat(70_000)) + "}").put(list + "/" + NUMBER), 413, INVALID, null));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            cases.add(admin("PUT do-not-call/{number} sent as " + type, OPERATOR,
                    r -> withBody(r.contentType(type), type, "{\"reason\":\"x\"}").put(list + "/" + NUMBER), 400,
                    INVALID, "application/json"));
        }

        for (String query : List.of("page_size=0", "page_size=-1", "page_size=201", "page_size=abc", "page_size=1e3",
                "page_size=20.0", "page_size=", "page_size=%2020", "page_size=" + "9".repeat(3000),
                "page_size=10&page_size=10", "page_token=x", "page_token=..%2F..%2Fkeys", "page_token=" + "a".repeat(513),
                "page_token=" + "A".repeat(64), "page_token=" + "a".repeat(63) + "%00", "page_token=%0D%0A",
                "PageSize=10", "number=%2B14155551212", "x%00=1")) {
            cases.add(admin("GET do-not-call?" + abbreviate(query), OPERATOR, r -> r.get(list + "?" + query), 400, INVALID,
                    null));
        }
    }

    /** A request with the given Authorization header (none when empty); the envelope alone is checked. */
    static Case admin(String name, String authorization, Function<RequestSpecification, Response> request, int status,
            String category, String mentions) {
        return new Case(name, null, r -> request.apply(authorization.isEmpty() ? r : r.header("Authorization",
                authorization)), status, category, mentions);
    }
}
