package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * "Bad input costs nothing": a generated corpus of malformed and hostile requests, every parameter of every
 * endpoint times a table of mutations. Twilio (WireMock) answers everything with success, so a request that
 * leaked upstream would show; each case must get the envelope with the expected category and status, and
 * cause zero upstream requests.
 *
 * <p>The set-up, the corpus and its builders for the {@code Hostile*Test} suites, which split it by surface.
 */
@WithTestResource(WireMockTwilio.class)
abstract class HostileInputSuite {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;
    static final String RECORDING_SID = "REe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";
    static final String CALL_SID = "CAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    static final String PAGE_TOKEN = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("2:PAabcdef0123456789".getBytes(StandardCharsets.UTF_8));
    static final String SERVICE_KEY = TestAccounts.bearer(TestAccounts.SERVICE_KEY);

    static final String INVALID = "invalid_request";
    static final String UNAUTHORIZED = "unauthorized";
    static final String NOT_FOUND = "not_found";
    static final String FORBIDDEN = "forbidden";

    @InjectWireMock
    WireMockServer twilio;

    @BeforeEach
    void twilioSaysYesToEverything() {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(anyUrl()).willReturn(fixture(201, "call-created.json")));
        twilio.stubFor(get(anyUrl()).willReturn(fixture(200, "calls-page-last.json")));
        twilio.stubFor(any(anyUrl()).atPriority(10).willReturn(TwilioStubs.json("{}")));
    }

    // ------------------------------------------------------------------------------------------------
    // The corpus
    // ------------------------------------------------------------------------------------------------

    /** What a parameter holds; decides which mutations make it invalid on their own. */
    enum Kind { PHONE, SID, URL, TWIML, ENUM, DATE, TOKEN, KEY, INT, BOOL }

    /** A parameter of an action with a valid value, as JSON text. */
    record Param(String name, Kind kind, String valid, boolean required) {
    }

    /** An action's parameters; the first ones together form a valid request. */
    record ActionSpec(String name, List<Param> params, List<String> base) {

        Param param(String name) {
            return params.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }
    }

    static final ActionSpec MAKE_CALL = new ActionSpec("make_call", List.of(
            new Param("account_sid", Kind.SID, quote(ACCOUNT), true),
            new Param("to", Kind.PHONE, quote("+14155551212"), true),
            new Param("from_", Kind.PHONE, quote("+15017122661"), true),
            new Param("url", Kind.URL, quote("https://example.com/twiml"), false),
            new Param("twiml", Kind.TWIML, quote("<Response><Say>hi</Say></Response>"), false),
            new Param("status_callback", Kind.URL, quote("https://example.com/status"), false),
            new Param("status_callback_method", Kind.ENUM, quote("POST"), false),
            new Param("record", Kind.BOOL, "true", false),
            new Param("recording_status_callback", Kind.URL, quote("https://example.com/rec"), false),
            new Param("timeout", Kind.INT, "30", false),
            new Param("machine_detection", Kind.ENUM, quote("Enable"), false),
            new Param("idempotency_key", Kind.KEY, quote("order-42"), false)),
            List.of("account_sid", "to", "from_", "url"));

    static final ActionSpec LIST_CALLS = new ActionSpec("list_calls", List.of(
            new Param("account_sid", Kind.SID, quote(ACCOUNT), true),
            new Param("to", Kind.PHONE, quote("+14155551212"), false),
            new Param("from_", Kind.PHONE, quote("+15017122661"), false),
            new Param("status", Kind.ENUM, quote("completed"), false),
            new Param("start_time_after", Kind.DATE, quote("2024-05-01"), false),
            new Param("start_time_before", Kind.DATE, quote("2024-06-01"), false),
            new Param("page_size", Kind.INT, "20", false),
            new Param("include_recordings", Kind.BOOL, "false", false),
            new Param("page_token", Kind.TOKEN, quote(PAGE_TOKEN), false)),
            List.of("account_sid", "include_recordings"));

    static final ActionSpec GET_RECORDING = new ActionSpec("get_recording", List.of(
            new Param("recording_sid", Kind.SID, quote(RECORDING_SID), true),
            new Param("account_sid", Kind.SID, quote(ACCOUNT), true)),
            List.of("recording_sid", "account_sid"));

    static final ActionSpec GET_CALL = new ActionSpec("get_call", List.of(
            new Param("account_sid", Kind.SID, quote(ACCOUNT), true),
            new Param("call_sid", Kind.SID, quote(CALL_SID), true),
            new Param("wait_seconds", Kind.INT, "5", false),
            new Param("include_recordings", Kind.BOOL, "false", false)),
            List.of("account_sid", "call_sid"));

    static final ActionSpec END_CALL = new ActionSpec("end_call", List.of(
            new Param("account_sid", Kind.SID, quote(ACCOUNT), true),
            new Param("call_sid", Kind.SID, quote(CALL_SID), true)),
            List.of("account_sid", "call_sid"));

    // 'reason' is free text (any printable character, up to 500): none of the kinds' mutations fits it.
    static final ActionSpec ADD_DO_NOT_CALL = new ActionSpec("add_do_not_call", List.of(
            new Param("account_sid", Kind.SID, quote(ACCOUNT), true),
            new Param("number", Kind.PHONE, quote("+14155551212"), true)),
            List.of("account_sid", "number"));

    static final List<ActionSpec> ACTIONS = List.of(MAKE_CALL, LIST_CALLS, GET_RECORDING, GET_CALL, END_CALL,
            ADD_DO_NOT_CALL);

    /** Each integer parameter's range, from the contract. */
    static final Map<String, List<Integer>> INT_RANGES = Map.of("timeout", List.of(1, 600), "page_size", List.of(1, 1000),
            "wait_seconds", List.of(0, 60));

    /** Outcome of a mutation: the JSON value to send, or 413 for a body over the limit. */
    record Mutation(String name, Function<Param, String> json, boolean tooLarge) {

        static Mutation of(String name, Function<Param, String> json) {
            return new Mutation(name, json, false);
        }
    }

    static final String LONG_5000 = "a".repeat(5000);
    static final String LONG_70000 = "a".repeat(70_000);

    /** Applies to every parameter, whatever it holds. */
    static final List<Mutation> TYPE_MUTATIONS = List.of(
            Mutation.of("as an object", p -> "{\"$gt\":\"\"}"),
            Mutation.of("as an array", p -> "[" + p.valid() + "]"),
            Mutation.of("as an empty array", p -> "[]"));

    /** For string parameters: every one of these is invalid for every kind of string value. */
    static final List<Mutation> STRING_MUTATIONS = List.of(
            Mutation.of("as a number", p -> "42"),
            Mutation.of("as a boolean", p -> "true"),
            Mutation.of("empty", p -> "\"\""),
            Mutation.of("5000 chars", p -> quote(LONG_5000)),
            new Mutation("70000 chars", p -> quote(LONG_70000), true),
            Mutation.of("with NUL", p -> suffix(p, "\\u0000")),
            Mutation.of("with ESC sequence", p -> suffix(p, "\\u001b[2J")),
            Mutation.of("with DEL", p -> suffix(p, "\\u007f")));

    /** Invalid for every string kind but TwiML (which may span lines). */
    static final List<Mutation> LINE_BREAK_MUTATIONS = List.of(
            Mutation.of("with CRLF header injection", p -> suffix(p, "\\r\\nX-Injected: 1")),
            Mutation.of("with LF", p -> suffix(p, "\\n")));

    /** Prefixed to a valid value: invalid for every string kind but idempotency keys (any printable ASCII). */
    static final List<Mutation> INJECTION_MUTATIONS = List.of(
            Mutation.of("path traversal", p -> prefix(p, "../../")),
            Mutation.of("encoded slash", p -> prefix(p, "%2F..%2F")),
            Mutation.of("query smuggling", p -> prefix(p, "?x=1&")),
            Mutation.of("script tag", p -> prefix(p, "<script>alert(1)</script>")),
            Mutation.of("SQL", p -> prefix(p, "' OR 1=1--")));

    /** Prefixed to a valid value: invalid for every string kind. */
    static final List<Mutation> UNICODE_MUTATIONS = List.of(
            Mutation.of("RTL override", p -> prefix(p, "\\u202e")),
            Mutation.of("zero-width space", p -> prefix(p, "\\u200b")),
            Mutation.of("fullwidth plus", p -> prefix(p, "\\uff0b")),
            Mutation.of("BOM", p -> prefix(p, "\\ufeff")));

    static final List<Mutation> INT_MUTATIONS = List.of(
            Mutation.of("as a string", p -> quote(unquote(p.valid()))),
            Mutation.of("as a boolean", p -> "true"),
            Mutation.of("below the minimum", p -> String.valueOf(INT_RANGES.get(p.name()).get(0) - 1)),
            Mutation.of("negative", p -> "-1"),
            Mutation.of("above the maximum", p -> String.valueOf(INT_RANGES.get(p.name()).get(1) + 1)),
            Mutation.of("2^31", p -> "2147483648"),
            Mutation.of("-2^31-1", p -> "-2147483649"),
            Mutation.of("10^30", p -> "1000000000000000000000000000000"),
            Mutation.of("1e3", p -> "1e3"),
            Mutation.of("fraction", p -> "20.5"),
            Mutation.of("20.0", p -> "20.0"));

    static final List<Mutation> BOOL_MUTATIONS = List.of(
            Mutation.of("as a string", p -> quote(p.valid())),
            Mutation.of("as 1", p -> "1"),
            Mutation.of("as 0", p -> "0"),
            Mutation.of("as yes", p -> "\"yes\""),
            Mutation.of("as TRUE", p -> "\"TRUE\""));

    static final Map<String, List<String>> ENUM_VARIANTS = Map.of(
            "status_callback_method", List.of("get", "Post", "PUT", " POST"),
            "machine_detection", List.of("enable", "ENABLE", "detect_message_end", "Enable "),
            "status", List.of("Completed", "COMPLETED", "in_progress", "inprogress"));

    static final List<String> BAD_DATES = List.of("2024-13-01", "2024-02-30", "2024-5-1", "2024-05-01T00:00:00Z",
            "2024/05/01", "01-05-2024", "+2024-05-1", "20240501");

    /**
     * Numbers in every odd form: spaces and separators, national formats, 00 and 011 exit codes, Unicode digits,
     * a URI, surrounding blanks, too many digits. Only E.164 is accepted; nothing is guessed.
     */
    static final List<String> ODD_NUMBERS = List.of("14155551212", "+0123", "+1 415 555 1212", "+44 20 7183 8750",
            "+1-415-555-1212", "+1.415.555.1212", "+1 (415) 555-1212", "(415) 555-1212", "020 7183 8750", "02071838750",
            "00442071838750", "0044 20 7183 8750", "011442071838750", "+00442071838750", "tel:+14155551212",
            " +14155551212", "+14155551212 ", "+1415555121\\u0661", "+\\uff11\\uff14\\uff11\\uff15\\uff15\\uff15\\uff15\\uff11\\uff12\\uff11\\uff12",
            "+\\u0664\\u0664\\u0662\\u0660\\u0667\\u0661\\u0668\\u0663\\u0668\\u0667\\u0665\\u0660", "+\\u0968\\u0966\\u0967\\u0968\\u0969\\u096a\\u096b\\u096c",
            "+1415555121299999", "+4420718387501234", "+" + "9".repeat(300));

    static final Map<Kind, List<String>> KIND_SPECIFIC = Map.of(
            Kind.PHONE, ODD_NUMBERS,
            Kind.SID, List.of("AC123", "acaaaaaaaabbbbbbbbccccccccdddddddd", "ACgggggggggggggggggggggggggggggggg"),
            Kind.URL, List.of("javascript:alert(1)", "file:///etc/passwd", "http://", "//example.com/t", "ftp://example.com/t"),
            Kind.TWIML, List.of("<Say>hi</Say>", "<Response><Say>", "<!DOCTYPE r [<!ENTITY x SYSTEM \\\"file:///etc/passwd\\\">]><Response>&x;</Response>"),
            Kind.TOKEN, List.of("bm90LWEtY3Vyc29y", "MjpQQS4uLw", PAGE_TOKEN + "=", "a".repeat(513)),
            Kind.KEY, List.of("a".repeat(256), "caf\\u00e9", "key\\twith-tab"));

    static List<Mutation> mutationsFor(Param p) {
        List<Mutation> all = new ArrayList<>(TYPE_MUTATIONS);
        switch (p.kind()) {
            case INT -> all.addAll(INT_MUTATIONS);
            case BOOL -> all.addAll(BOOL_MUTATIONS);
            default -> {
                all.addAll(STRING_MUTATIONS);
                all.addAll(UNICODE_MUTATIONS);
                if (p.kind() != Kind.TWIML) {
                    all.addAll(LINE_BREAK_MUTATIONS);
                }
                if (p.kind() != Kind.KEY) {
                    all.addAll(INJECTION_MUTATIONS);
                }
                for (String value : KIND_SPECIFIC.getOrDefault(p.kind(), List.of())) {
                    all.add(Mutation.of(abbreviate(value), q -> quote(value)));
                }
                for (String value : ENUM_VARIANTS.getOrDefault(p.name(), List.of())) {
                    all.add(Mutation.of("case variant '" + value + "'", q -> quote(value)));
                }
                if (p.kind() == Kind.DATE) {
                    for (String value : BAD_DATES) {
                        all.add(Mutation.of("date " + value, q -> quote(value)));
                    }
                }
            }
        }
        if (p.required() || p.name().equals("url")) {
            all.add(Mutation.of("null", q -> "null"));
        }
        return all;
    }

    /** One request of the corpus and what must come back; {@code action} names the output contract, if any. */
    record Case(String name, String action, Function<RequestSpecification, Response> request, int status,
            String category, String mentions) {
    }

    /** The whole corpus, in the order the suites split it: per action its parameters and bodies, then the rest. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (ActionSpec action : ACTIONS) {
            parameterCases(action, cases);
            bodyCases(action, cases);
        }
        restPathAndQueryCases(cases);
        authCases(cases);
        idempotencyHeaderCases(cases);
        policyCases(cases);
        return cases;
    }

    /** Cases as the arguments of a {@code costsNothing} test: the case's name, and the case. */
    static Stream<Arguments> arguments(List<Case> cases) {
        return cases.stream().map(c -> Arguments.of(c.name(), c));
    }

    /** Every parameter × its mutations, as a tool call; make_call also on {@code POST /v1/accounts/{sid}/calls}. */
    static void parameterCases(ActionSpec action, List<Case> cases) {
        for (Param param : action.params()) {
            for (Mutation mutation : mutationsFor(param)) {
                String body = body(action, param.name(), mutation.json().apply(param));
                String mentions = mutation.tooLarge() ? null : "'" + param.name() + "'";
                cases.add(toolCall(action.name() + "." + param.name() + " " + mutation.name(), action.name(), body,
                        mutation.tooLarge() ? 413 : 200, INVALID, mentions));
                if (action == MAKE_CALL && !param.name().equals("account_sid")) {
                    cases.add(restMakeCall("POST calls: " + param.name() + " " + mutation.name(), restBody(body), null,
                            mutation.tooLarge() ? 413 : 400, mentions));
                }
            }
            if (param.required()) {
                cases.add(toolCall(action.name() + "." + param.name() + " missing", action.name(),
                        body(action, param.name(), null), 200, INVALID, "'" + param.name() + "' is required"));
            }
            String duplicated = append(body(action, param.name(), param.valid()),
                    ",\"" + param.name() + "\":" + param.valid() + "}");
            cases.add(toolCall(action.name() + "." + param.name() + " duplicate key", action.name(), duplicated, 200,
                    INVALID, "Duplicate field '" + param.name() + "'"));
        }
        for (String unknown : List.of("From", "sendDigits", "__proto__", "account_sid ", "to\\u0000", "$where")) {
            String body = append(body(action, null, null), ",\"" + unknown + "\":\"x\"}");
            cases.add(toolCall(action.name() + " unknown field '" + unknown + "'", action.name(), body, 200, INVALID,
                    "unknown parameter"));
        }
    }

    /** Whole bodies that are not one JSON object of parameters, or not sent as JSON. */
    static void bodyCases(ActionSpec action, List<Case> cases) {
        String valid = body(action, null, null);
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("empty body", "");
        bodies.put("blank body", " \r\n\t ");
        bodies.put("trailing garbage", valid + " x");
        bodies.put("two objects", valid + valid);
        bodies.put("truncated", valid.substring(0, valid.length() / 2));
        bodies.put("array of the object", "[" + valid + "]");
        bodies.put("string scalar", quote(valid));
        bodies.put("number scalar", "42");
        bodies.put("null scalar", "null");
        bodies.put("true scalar", "true");
        bodies.put("single quotes", valid.replace('"', '\''));
        bodies.put("comment", "/* hi */" + valid);
        bodies.put("NaN", append(valid, ",\"x\":NaN}"));
        bodies.put("nested 5000 deep", append(valid, ",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        bodies.put("number with 2000 digits", append(valid, ",\"x\":" + "9".repeat(2000) + "}"));
        bodies.put("unescaped control character", append(valid, ",\"x\":\"a\u0001b\"}"));
        bodies.put("70000 bytes of whitespace", " ".repeat(70_000) + valid);
        for (Map.Entry<String, String> entry : bodies.entrySet()) {
            int status = entry.getValue().length() > 64 * 1024 ? 413 : 200;
            cases.add(toolCall(action.name() + " " + entry.getKey(), action.name(), entry.getValue(), status, INVALID, null));
            if (action == MAKE_CALL) {
                cases.add(restMakeCall("POST calls: " + entry.getKey(), entry.getValue(), null, status == 413 ? 413 : 400, null));
            }
        }
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml",
                "multipart/form-data; boundary=x", "application/octet-stream", "text/json", "garbage")) {
            // An unparseable Content-Type is refused by RESTEasy before the endpoint, as 415 also for tool calls.
            int toolStatus = type.equals("garbage") ? 415 : 200;
            cases.add(new Case(action.name() + " sent as " + type, action.name(),
                    r -> withBody(r.header("Authorization", SERVICE_KEY).contentType(type), type, valid)
                            .post("/v1/actions/" + action.name()), toolStatus, INVALID, "application/json"));
            if (action == MAKE_CALL) {
                String rest = restBody(valid);
                cases.add(new Case("POST calls sent as " + type, "make_call",
                        r -> withBody(r.header("Authorization", SERVICE_KEY).contentType(type), type, rest)
                                .post("/v1/accounts/" + ACCOUNT + "/calls"), 415, INVALID, "application/json"));
            }
        }
    }

    /** The REST resources through their path segments and query strings. */
    static void restPathAndQueryCases(List<Case> cases) {
        String calls = "/v1/accounts/" + ACCOUNT + "/calls";
        String recordings = "/v1/accounts/" + ACCOUNT + "/recordings/";
        for (Param param : LIST_CALLS.params()) {
            if (param.name().equals("account_sid")) {
                continue;
            }
            String name = param.name().equals("from_") ? "from" : param.name();
            String valid = param.kind() == Kind.INT || param.kind() == Kind.BOOL ? param.valid() : unquote(param.valid());
            List<String> values = new ArrayList<>(List.of("", valid + "\r\n", "\u0000" + valid, "\u202e" + valid,
                    "../" + valid, valid + "/../x", "a".repeat(3000)));
            switch (param.kind()) {
                case INT -> values.addAll(List.of("0", "-1", "1001", "2147483648", "1e3", "20.0", "0x14", " 20"));
                case BOOL -> values.addAll(List.of("1", "TRUE", "yes", "False"));
                case ENUM -> values.addAll(ENUM_VARIANTS.get(param.name()));
                case DATE -> values.addAll(BAD_DATES);
                default -> values.addAll(KIND_SPECIFIC.getOrDefault(param.kind(), List.of()).stream()
                        .map(HostileInputSuite::unescape).toList());
            }
            for (String value : values) {
                String query = name + "=" + encode(value);
                cases.add(restGet("GET calls?" + abbreviate(query), calls + "?" + query, 400,
                        INVALID, "'" + param.name() + "'"));
            }
            cases.add(restGet("GET calls?" + name + " repeated", calls + "?" + name + "=" + encode(valid) + "&"
                    + name + "=" + encode(valid), 400, INVALID, "'" + name + "' must be given once"));
            cases.add(restGet("GET calls?" + name + " with encoded slash", calls + "?" + name + "="
                    + encode(valid) + "%2F..%2F..", 400, INVALID, "'" + param.name() + "'"));
        }
        cases.add(restGet("GET calls?from and from_", calls + "?from=%2B15017122661&from_=%2B15017122661", 400, INVALID,
                "not both"));
        for (String unknown : List.of("To", "account_sid", "PageSize", "page_size%5B%5D", "x%00", "callback")) {
            cases.add(restGet("GET calls?" + unknown + "=1 (unknown)", calls + "?" + unknown + "=1", 400, INVALID,
                    "unknown query parameter"));
        }
        cases.add(restGet("GET calls?page_size=3000 digits", calls + "?page_size=" + "9".repeat(3000), 400, INVALID,
                "'page_size'"));

        for (String sid : List.of("AC123", "acaaaaaaaabbbbbbbbccccccccdddddddd", ACCOUNT + "%20", ACCOUNT + "%00",
                ACCOUNT + "%0D%0AX:1", "%E2%80%AE" + ACCOUNT, ACCOUNT + ".json", "..%2F" + ACCOUNT, ACCOUNT + "%2F..%2F"
                        + TestAccounts.OTHER_ACCOUNT_SID, "%2E%2E", "a".repeat(1000))) {
            // "%2E%2E" is "..": the path is normalized to one that routes nowhere.
            int status = sid.equals("%2E%2E") ? 404 : 400;
            String category = status == 404 ? NOT_FOUND : INVALID;
            String mentions = status == 404 ? null : "'account_sid'";
            cases.add(restGet("GET accounts/" + abbreviate(sid) + "/calls", "/v1/accounts/" + sid + "/calls",
                    status, category, mentions));
            cases.add(restGet("GET accounts/" + abbreviate(sid) + "/recordings/…", "get_recording", "/v1/accounts/" + sid
                    + "/recordings/" + RECORDING_SID, status, category, mentions));
            cases.add(restGet("GET accounts/" + abbreviate(sid) + "/calls/…", "get_call", "/v1/accounts/" + sid
                    + "/calls/" + CALL_SID, status, category, mentions));
            cases.add(restEnd("POST accounts/" + abbreviate(sid) + "/calls/…/end", "/v1/accounts/" + sid
                    + "/calls/" + CALL_SID + "/end", status, category, mentions));
            cases.add(new Case("POST accounts/" + abbreviate(sid) + "/calls", "make_call",
                    r -> r.header("Authorization", SERVICE_KEY).contentType("application/json")
                            .body(restBody(body(MAKE_CALL, null, null))).post("/v1/accounts/" + sid + "/calls"),
                    status, category, mentions));
        }
        for (String sid : List.of("RE123", "CAe5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5", RECORDING_SID + "%3FPageSize=1",
                RECORDING_SID + ".json", RECORDING_SID + "%2F..%2F..%2FCalls", "%2E%2E%2F%2E%2E%2FCalls",
                RECORDING_SID + "%0D%0A", "%E2%80%8B" + RECORDING_SID, RECORDING_SID + "%00", "a".repeat(1000))) {
            cases.add(restGet("GET recordings/" + abbreviate(sid), "get_recording", recordings + sid, 400, INVALID,
                    "'recording_sid'"));
        }
        String call = "/v1/accounts/" + ACCOUNT + "/calls/" + CALL_SID;
        for (String sid : List.of("CA123", RECORDING_SID, CALL_SID + "0", "ca" + CALL_SID.substring(2),
                CALL_SID + "%3FPageSize=1", CALL_SID + ".json", CALL_SID + "%2F..%2F..%2FRecordings",
                CALL_SID + "%0D%0A", "%E2%80%8B" + CALL_SID, CALL_SID + "%00", "a".repeat(1000))) {
            cases.add(restGet("GET calls/" + abbreviate(sid), "get_call", "/v1/accounts/" + ACCOUNT + "/calls/" + sid,
                    400, INVALID, "'call_sid'"));
            cases.add(restEnd("POST calls/" + abbreviate(sid) + "/end", "/v1/accounts/" + ACCOUNT + "/calls/" + sid
                    + "/end", 400, INVALID, "'call_sid'"));
        }
        for (String query : List.of("force=true", "call_sid=" + CALL_SID, "x%00=1", "wait_seconds=1")) {
            cases.add(restEnd("POST calls/{sid}/end?" + abbreviate(query), call + "/end?" + query, 400, INVALID,
                    "no query parameters"));
        }
        for (String query : List.of("wait_seconds=61", "wait_seconds=-1", "wait_seconds=", "wait_seconds=5.0",
                "wait_seconds=1e1", "wait_seconds=0x1", "wait_seconds=%205", "wait_seconds=%E2%80%8B5",
                "wait_seconds=" + "9".repeat(3000), "include_recordings=1", "include_recordings=TRUE",
                "include_recordings=yes", "include_recordings=")) {
            String name = query.substring(0, query.indexOf('='));
            cases.add(restGet("GET calls/{sid}?" + abbreviate(query), "get_call", call + "?" + query, 400, INVALID,
                    "'" + name + "'"));
        }
        for (String query : List.of("wait_seconds=1&wait_seconds=1", "include_recordings=true&include_recordings=true")) {
            cases.add(restGet("GET calls/{sid}?" + query, "get_call", call + "?" + query, 400, INVALID, "must be given once"));
        }
        for (String unknown : List.of("WaitSeconds", "wait", "call_sid", "account_sid", "x%00")) {
            cases.add(restGet("GET calls/{sid}?" + unknown + "=1 (unknown)", "get_call", call + "?" + unknown + "=1", 400,
                    INVALID, "unknown query parameter"));
        }
        for (String path : List.of(recordings, recordings + RECORDING_SID + "/transcriptions",
                "/v1/accounts/" + ACCOUNT + "/recordings/" + RECORDING_SID + "/..%2F..%2F..%2Fcalls",
                "/v1/accounts//calls", "/v1/accounts/" + ACCOUNT, "/v1/accounts/" + ACCOUNT + "/Calls",
                "/v1/accounts/" + ACCOUNT + "/calls/" + CALL_SID + "/recordings", "/v1/actions/MAKE_CALL",
                "/v1/actions/make_call%00", "/v1/actions/..%2Factions%2Fmake_call", "/v1/actions/make_call/x")) {
            boolean action = path.startsWith("/v1/actions/");
            cases.add(new Case((action ? "POST " : "GET ") + abbreviate(path) + " (routes nowhere)", "make_call",
                    r -> {
                        RequestSpecification request = r.header("Authorization", SERVICE_KEY);
                        return action ? request.contentType("application/json").body(body(MAKE_CALL, null, null))
                                .post(path) : request.get(path);
                    }, 404, NOT_FOUND, null));
        }
    }

    /** Attacks on the Authorization header, against every endpoint with an otherwise valid request. */
    static void authCases(List<Case> cases) {
        String pair = ACCOUNT + ":" + TestAccounts.AUTH_TOKEN;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("huge bearer", "Bearer " + "k".repeat(16_000));
        headers.put("huge basic", TestAccounts.basic(ACCOUNT, "t".repeat(12_000)));
        headers.put("basic with CRLF in the secret", TestAccounts.basic(ACCOUNT, TestAccounts.AUTH_TOKEN + "\r\nX-Injected: 1"));
        headers.put("basic with NUL in the secret", TestAccounts.basic(ACCOUNT, TestAccounts.AUTH_TOKEN + "\u0000"));
        headers.put("basic with a non-ASCII secret", TestAccounts.basic(ACCOUNT, "pässwörd"));
        headers.put("basic with CRLF in the username", TestAccounts.basic(ACCOUNT + "\r\n", TestAccounts.AUTH_TOKEN));
        headers.put("basic not base64", "Basic " + pair);
        headers.put("basic non-ASCII", "Basic " + "ÄÖÜ");
        headers.put("basic empty", "Basic ");
        headers.put("basic without secret", "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":").getBytes(StandardCharsets.UTF_8)));
        headers.put("bearer non-ASCII", "Bearer " + TestAccounts.SERVICE_KEY + "é");
        headers.put("bearer with a tab", "Bearer " + TestAccounts.SERVICE_KEY + "\tx");
        headers.put("bearer of another key", "Bearer " + TestAccounts.SERVICE_KEY.toUpperCase());
        headers.put("bearer without key", "Bearer");
        headers.put("unknown scheme", "Digest username=\"" + ACCOUNT + "\"");
        headers.put("empty", "");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            for (ActionSpec action : ACTIONS) {
                String body = body(action, null, null);
                cases.add(new Case("auth " + header.getKey() + " on " + action.name(), action.name(),
                        r -> r.header("Authorization", header.getValue()).contentType("application/json").body(body)
                                .post("/v1/actions/" + action.name()), 401, UNAUTHORIZED, null));
            }
            cases.add(new Case("auth " + header.getKey() + " on POST calls", "make_call",
                    r -> r.header("Authorization", header.getValue()).contentType("application/json")
                            .body(restBody(body(MAKE_CALL, null, null))).post("/v1/accounts/" + ACCOUNT + "/calls"),
                    401, UNAUTHORIZED, null));
            cases.add(new Case("auth " + header.getKey() + " on GET calls", "list_calls",
                    r -> r.header("Authorization", header.getValue())
                            .get("/v1/accounts/" + ACCOUNT + "/calls?include_recordings=false"), 401, UNAUTHORIZED, null));
            cases.add(new Case("auth " + header.getKey() + " on POST calls/{sid}/end", "end_call",
                    r -> r.header("Authorization", header.getValue())
                            .post("/v1/accounts/" + ACCOUNT + "/calls/" + CALL_SID + "/end"), 401, UNAUTHORIZED, null));
            cases.add(new Case("auth " + header.getKey() + " on POST do-not-call", "add_do_not_call",
                    r -> r.header("Authorization", header.getValue()).contentType("application/json")
                            .body("{\"number\":\"+14155551212\"}").post("/v1/accounts/" + ACCOUNT + "/do-not-call"),
                    401, UNAUTHORIZED, null));
            cases.add(new Case("auth " + header.getKey() + " on GET calls/{sid}", "get_call",
                    r -> r.header("Authorization", header.getValue())
                            .get("/v1/accounts/" + ACCOUNT + "/calls/" + CALL_SID + "?wait_seconds=60"), 401, UNAUTHORIZED, null));
        }
    }

    /** A malformed Idempotency-Key header, or a good one on a request that is rejected for another reason. */
    static void idempotencyHeaderCases(List<Case> cases) {
        String valid = restBody(body(MAKE_CALL, null, null));
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("empty", "");
        keys.put("256 chars", "k".repeat(256));
        keys.put("5000 chars", "k".repeat(5000));
        keys.put("Latin-1", "café");
        keys.put("tab", "a\tb");
        for (Map.Entry<String, String> key : keys.entrySet()) {
            cases.add(restMakeCall("POST calls: Idempotency-Key " + key.getKey(), valid, key.getValue(), 400,
                    "idempotency"));
        }
        cases.add(restMakeCall("POST calls: Idempotency-Key differs from the body", restBody(body(MAKE_CALL,
                "idempotency_key", quote("key-1"))), "key-2", 400, "Idempotency-Key"));
        for (String bad : List.of("to", "url", "timeout")) {
            String body = restBody(body(MAKE_CALL, bad, "\"\\u0000\""));
            cases.add(restMakeCall("POST calls: good Idempotency-Key, bad " + bad, body, "key-ok-" + bad, 400, "'" + bad + "'"));
            cases.add(toolCall("make_call good idempotency_key, bad " + bad, "make_call",
                    append(body(MAKE_CALL, bad, "\"\\u0000\""), ",\"idempotency_key\":\"key-tool-" + bad + "\"}"),
                    200, INVALID, "'" + bad + "'"));
        }
    }

    /**
     * Well-formed numbers the toll-fraud guard refuses for every caller: premium-rate and shared-cost numbers of
     * several countries, international revenue-share and satellite ranges, and numbers no country has.
     */
    static final Map<String, String> REFUSED_NUMBERS = new LinkedHashMap<>();

    static {
        for (String premium : List.of("+19002345678", "+449012345678", "+499001234567", "+33891123456", "+611900123456",
                "+39899123456", "+34803123456", "+41900123456", "+81990123456")) {
            REFUSED_NUMBERS.put(premium, "blocked-number-types");
        }
        for (String sharedCost : List.of("+4918012345", "+33884012345", "+611300123456", "+39848123456", "+34901123456",
                "+43810123456", "+48801234567", "+80812345678")) {
            REFUSED_NUMBERS.put(sharedCost, "blocked-number-types");
        }
        for (String range : List.of("+881612345678", "+8823421234", "+88213800000", "+883510012345", "+870301234567",
                "+979123456789")) {
            REFUSED_NUMBERS.put(range, "blocked-prefixes");
        }
        for (String invalid : List.of("+1415555121", "+4412345", "+44207183875012", "+999123456789", "+12", "+100123456789")) {
            REFUSED_NUMBERS.put(invalid, "valid-number");
        }
    }

    /** Each refused number as make_call's {@code to}, on the tool call and on REST: forbidden, naming the rule. */
    static void policyCases(List<Case> cases) {
        for (Map.Entry<String, String> number : REFUSED_NUMBERS.entrySet()) {
            String body = body(MAKE_CALL, "to", quote(number.getKey()));
            String mentions = "(rule '" + number.getValue() + "')";
            cases.add(toolCall("make_call.to refused " + number.getKey(), "make_call", body, 200, FORBIDDEN, mentions));
            cases.add(new Case("POST calls: to refused " + number.getKey(), "make_call",
                    r -> r.header("Authorization", SERVICE_KEY).contentType("application/json").body(restBody(body))
                            .post("/v1/accounts/" + ACCOUNT + "/calls"), 403, FORBIDDEN, mentions));
        }
    }

    /**
     * Each case of the suite's corpus (its static {@code corpus()}) gets the envelope with the expected status and
     * category, and Twilio sees nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void costsNothing(String name, Case hostile) {
        Response response = hostile.request().apply(given().urlEncodingEnabled(false));
        String body = response.asString();
        String seen = name + " -> HTTP " + response.statusCode() + " " + abbreviate(body, 400);
        assertEquals(hostile.status(), response.statusCode(), seen);
        assertEquals("application/json", String.valueOf(response.contentType()).split(";")[0].trim(), seen);
        if (hostile.action() != null) { // null: an endpoint with no action contract (the operator controls)
            ContractSchemas.assertValidOutput(hostile.action(), body);
        }
        assertFalse(response.jsonPath().getBoolean("success"), seen);
        String error = response.jsonPath().getString("error");
        assertTrue(error.startsWith(hostile.category() + ": "), seen);
        if (hostile.mentions() != null) {
            assertTrue(error.contains(hostile.mentions()), "should mention " + hostile.mentions() + ": " + seen);
        }
        assertFalse(body.contains("Exception") || body.contains("\tat "), seen);
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    // ------------------------------------------------------------------------------------------------
    // Building requests
    // ------------------------------------------------------------------------------------------------

    /** The action's valid base body with {@code param} set to {@code json} (or removed when null). */
    static String body(ActionSpec action, String param, String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : action.base()) {
            fields.put(name, action.param(name).valid());
        }
        if (action == MAKE_CALL && "twiml".equals(param)) {
            fields.remove("url");
        }
        if (param != null) {
            fields.remove(param);
            if (json != null) {
                fields.put(param, json);
            }
        }
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** A make_call body for the REST endpoint, which takes the account from the path. */
    static String restBody(String toolCallBody) {
        return toolCallBody.replace("\"account_sid\":" + quote(ACCOUNT) + ",", "");
    }

    static Case toolCall(String name, String action, String body, int status, String category, String mentions) {
        return new Case(name, action, r -> r.header("Authorization", SERVICE_KEY).contentType("application/json")
                .body(body).post("/v1/actions/" + action), status, category, mentions);
    }

    /** RestAssured encodes a form itself and other types only as bytes. */
    static RequestSpecification withBody(RequestSpecification request, String type, String body) {
        return type.startsWith("application/x-www-form-urlencoded") ? request.body(body)
                : request.body(body.getBytes(StandardCharsets.UTF_8));
    }

    static Case restMakeCall(String name, String body, String idempotencyKey, int status, String mentions) {
        return new Case(name, "make_call", r -> {
            RequestSpecification request = r.header("Authorization", SERVICE_KEY).contentType("application/json").body(body);
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            return request.post("/v1/accounts/" + ACCOUNT + "/calls");
        }, status, INVALID, mentions);
    }

    static Case restGet(String name, String path, int status, String category, String mentions) {
        return restGet(name, "list_calls", path, status, category, mentions);
    }

    /** end_call's REST route, with no body. */
    static Case restEnd(String name, String path, int status, String category, String mentions) {
        return new Case(name, "end_call", r -> r.header("Authorization", SERVICE_KEY).post(path), status, category,
                mentions);
    }

    static Case restGet(String name, String action, String path, int status, String category, String mentions) {
        return new Case(name, action, r -> r.header("Authorization", SERVICE_KEY).get(path), status, category, mentions);
    }

    /** The JSON object text with its closing brace replaced by {@code tail}, e.g. {@code ,"x":1}}. */
    static String append(String object, String tail) {
        return object.substring(0, object.length() - 1) + tail;
    }

    static String quote(String raw) {
        return "\"" + raw + "\"";
    }

    static String unquote(String json) {
        return json.startsWith("\"") ? json.substring(1, json.length() - 1) : json;
    }

    static String prefix(Param p, String jsonEscaped) {
        return "\"" + jsonEscaped + unquote(p.valid()) + "\"";
    }

    static String suffix(Param p, String jsonEscaped) {
        return "\"" + unquote(p.valid()) + jsonEscaped + "\"";
    }

    /** A value written with JSON's {@code \\uXXXX} escapes, as the characters themselves (for query strings). */
    static String unescape(String json) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < json.length(); i++) {
            if (json.startsWith("\\u", i)) {
                out.append((char) Integer.parseInt(json.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(json.charAt(i));
            }
        }
        return out.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String abbreviate(String text) {
        return abbreviate(text, 48);
    }

    static String abbreviate(String text, int max) {
        UnaryOperator<String> visible = s -> s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
                .replace("\u0000", "\\0");
        return visible.apply(text.length() > max ? text.substring(0, max - 8) + "…(" + text.length() + ")" : text);
    }
}
