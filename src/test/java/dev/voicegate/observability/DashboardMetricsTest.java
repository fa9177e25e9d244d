package dev.voicegate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.ACCOUNT;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.voicegate.access.Guard;
import dev.voicegate.dnc.DoNotCall;
import dev.voicegate.quota.Allowance;
import dev.voicegate.testing.InjectWireMock;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioStubs;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The Grafana dashboard (deploy/grafana) and the alerts (deploy/prometheus) against what /q/metrics exports: every
 * metric they name exists from start-up, and after a short run every metric, label and label value their PromQL
 * names is exported. A rename can never silently blank a panel or silence an alert.
 */
@QuarkusTest
@WithTestResource(value = WireMockTwilio.class, initArgs = {
        @ResourceArg(name = "voicegate.access.keys.dashboard-agent.secret-sha256", value = DashboardMetricsTest.KEY_SHA256),
        @ResourceArg(name = "voicegate.access.keys.dashboard-agent.max-calls-per-hour", value = "50") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardMetricsTest {

    static final String KEY = "dashboard-key-0123456789abcdef";
    static final String KEY_SHA256 = "107ea2992960c0d2ffeab40b650c1601e4fa78eecc45cf854007b1916bd2513e"; // checked below
    static final Path RULES = Path.of("deploy/prometheus/voicegate-alerts.yaml");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "inf", "nan");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*");

    @InjectWireMock
    WireMockServer twilio;

    /** One PromQL expression: where it is, the metrics it selects with their matchers, and its grouping labels. */
    record Expression(String where, String promql) {
    }

    @Test
    @Order(1)
    void everyMetricExistsFromStartUp() throws IOException {
        assertEquals(KEY_SHA256, sha256(KEY), "KEY_SHA256 is the SHA-256 of KEY");
        Map<String, List<Map<String, String>>> exported = scrape();
        Set<String> missing = new TreeSet<>();
        for (Expression expression : expressions()) {
            for (String metric : metrics(expression.promql()).keySet()) {
                if (!exported.containsKey(metric)) {
                    missing.add(metric + " (" + expression.where() + ")");
                }
            }
        }
        assertTrue(missing.isEmpty(), "not exported at start-up, before any request: " + missing);
        // Their labels and the values the expressions select too: outcome_unknown, rejected, rate_limited are there.
        List<String> problems = problems(expressions(), exported);
        assertTrue(problems.isEmpty(), "at start-up:\n" + String.join("\n", problems));
        // Gauges read something real from the start (a breaker not yet known would read NaN).
        List<String> nan = given().get("/q/metrics").then().extract().asString().lines()
                .filter(l -> l.startsWith("voicegate_") && l.endsWith("NaN")).toList();
        assertTrue(nan.isEmpty(), nan.toString());
    }

    @Test
    @Order(2)
    void everyMetricLabelAndValueIsExportedAfterAShortRun() throws IOException {
        TwilioStubs.reset(twilio);
        twilio.stubFor(post(urlEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(201, "call-created.json")));
        twilio.stubFor(get(urlPathEqualTo(ACCOUNT + "/Calls.json")).willReturn(fixture(200, "calls-page.json")));
        action(KEY, "make_call", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"+14155551212\","
                + "\"from_\":\"+15017122661\",\"url\":\"https://example.com/t\"}", 200);
        action(KEY, "list_calls", "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\"}", 200);
        action(TestAccounts.SERVICE_KEY, "list_calls", "{\"account_sid\":\"" + TestAccounts.OTHER_ACCOUNT_SID + "\"}", 200);

        Map<String, List<Map<String, String>>> exported = scrape();
        List<String> problems = problems(expressions(), exported);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // The check itself: a wrong metric, label value or grouping label is found.
        for (String wrong : List.of("sum(rate(voicegate_action_request_total[5m]))",
                "sum(increase(voicegate_action_requests_total{outcome=\"outcome_unknwon\"}[10m])) > 0",
                "sum by (rules) (rate(voicegate_policy_denials_total[5m]))",
                "max by (breaker) (voicegate_twilio_breaker_state{breaker=~\"twilio-nothing.*\"}) == 2")) {
            assertEquals(1, problems(List.of(new Expression("wrong", wrong)), exported).size(), wrong);
        }
        assertEquals(Set.of("voicegate_policy_denials_total"), metrics("sum by (key) (increase(voicegate_policy_denials_total"
                + "[5m])) > 10 and sum by (key) (rate(voicegate_policy_denials_total[1h] offset 5m))").keySet());
    }

    /** What the expressions name that the scrape does not export. */
    static List<String> problems(List<Expression> expressions, Map<String, List<Map<String, String>>> exported) {
        List<String> problems = new ArrayList<>();
        for (Expression expression : expressions) {
            Map<String, List<String[]>> metrics = metrics(expression.promql());
            Set<String> labels = new LinkedHashSet<>(List.of("le"));
            for (Map.Entry<String, List<String[]>> metric : metrics.entrySet()) {
                List<Map<String, String>> series = exported.get(metric.getKey());
                if (series == null) {
                    problems.add(expression.where() + ": no metric " + metric.getKey());
                    continue;
                }
                series.forEach(s -> labels.addAll(s.keySet()));
                for (String[] matcher : metric.getValue()) {
                    if (!matches(series, matcher)) {
                        problems.add(expression.where() + ": no series " + metric.getKey() + "{" + matcher[0] + matcher[1]
                                + "\"" + matcher[2] + "\"}");
                    }
                }
            }
            for (String label : grouping(expression.promql())) {
                if (!labels.contains(label)) {
                    problems.add(expression.where() + ": no metric of it has the label " + label);
                }
            }
        }
        return problems;
    }

    @Test
    @Order(3)
    void theAlertsOfIssue24AreThere() throws IOException {
        JsonNode rules = KubernetesManifestsIT.YAML.readTree(Files.readString(RULES));
        assertEquals("PrometheusRule", rules.path("kind").asText());
        Set<String> alerts = new TreeSet<>();
        rules.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
        assertTrue(alerts.containsAll(Set.of("VoicegateTwilioBreakerOpen", "VoicegateRefusalsHigh",
                "VoicegateCallbacksRejected", "VoicegateRedisDegraded", "VoicegatePolicyDenialSpike",
                "VoicegateOutcomeUnknown")), alerts.toString());
        // The rules whose denials are pre-registered include every rule named by a constant of the code.
        assertTrue(PolicyMetrics.RULES.containsAll(List.of(Guard.HOURS, Guard.ADD_DO_NOT_CALL_RULE, DoNotCall.RULE,
                DoNotCall.UNAVAILABLE, Allowance.UNAVAILABLE)), "PolicyMetrics.RULES");
    }

    private static void action(String key, String name, String body, int status) {
        given().header("Authorization", TestAccounts.bearer(key)).contentType(ContentType.JSON).body(body)
                .post("/v1/actions/" + name).then().statusCode(status);
    }

    /** Every PromQL expression of the dashboard and of the alerts. */
    static List<Expression> expressions() throws IOException {
        List<Expression> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DashboardGenerator.FILE));
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> expressions.add(new Expression(
                "panel '" + panel.path("title").asText() + "'", target.path("expr").asText()))));
        JsonNode rules = KubernetesManifestsIT.YAML.readTree(Files.readString(RULES));
        rules.path("spec").path("groups").forEach(group -> group.path("rules").forEach(rule -> expressions.add(
                new Expression("alert " + rule.path("alert").asText(), rule.path("expr").asText()))));
        assertTrue(expressions.size() >= 15, "panels and alerts read: " + expressions.size());
        return expressions;
    }

    /** The metrics an expression selects, each with its label matchers ({label, op, value}). */
    static Map<String, List<String[]>> metrics(String promql) {
        Map<String, List<String[]>> metrics = new HashMap<>();
        String rest = promql.replaceAll("\\[[^\\]]*]", " ").replaceAll(GROUPING.pattern(), " ");
        Matcher selector = SELECTOR.matcher(rest);
        StringBuilder bare = new StringBuilder();
        while (selector.find()) {
            List<String[]> matchers = metrics.computeIfAbsent(selector.group(1), k -> new ArrayList<>());
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                matchers.add(new String[] { matcher.group(1), matcher.group(2), matcher.group(3) });
            }
            selector.appendReplacement(bare, " ");
        }
        selector.appendTail(bare);
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!function && !KEYWORDS.contains(name)) {
                metrics.computeIfAbsent(name, k -> new ArrayList<>());
            }
        }
        assertTrue(!metrics.isEmpty(), "no metric found in " + promql);
        return metrics;
    }

    /** The labels of its by/without/on/ignoring clauses. */
    static Set<String> grouping(String promql) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher grouping = GROUPING.matcher(promql);
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return labels;
    }

    private static boolean matches(List<Map<String, String>> series, String[] matcher) {
        String label = matcher[0];
        String op = matcher[1];
        String value = matcher[2];
        return series.stream().anyMatch(s -> s.containsKey(label) && switch (op) {
            case "=" -> s.get(label).equals(value);
            case "!=" -> !s.get(label).equals(value);
            case "=~" -> s.get(label).matches(value);
            default -> !s.get(label).matches(value);
        });
    }

    /** /q/metrics as metric name to its series' labels; a histogram's or summary's parts under their own names. */
    static Map<String, List<Map<String, String>>> scrape() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, List<Map<String, String>>> exported = new HashMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
        for (String row : text.split("\n")) {
            Matcher m = line.matcher(row);
            if (row.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(3) != null) {
                Matcher label = MATCHER.matcher(m.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(3));
                }
            }
            exported.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
        }
        return exported;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
