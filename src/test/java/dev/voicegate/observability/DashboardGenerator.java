package dev.voicegate.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes {@code deploy/grafana/voicegate.json}, the Grafana dashboard, from the panels below: what each shows and the
 * PromQL of each. {@link DashboardMetricsTest} compares the checked-in file with this output and checks every metric
 * and label the queries name against {@code /q/metrics}. After a change here, write the file again with
 * {@code ./mvnw -o -q test -Dtest=DashboardFileTest -Ddashboard.write=true} (docs/operations.md#dashboard-and-alerts).
 */
final class DashboardGenerator {

    static final Path FILE = Path.of("deploy/grafana/voicegate.json");
    private static final String RATE = "[$__rate_interval]";

    /** One query of a panel: its PromQL and its legend. */
    record Query(String expr, String legend) {
    }

    /** One panel: a time series with these queries, in this unit; {@code states}: names of its values (null: none). */
    record Panel(String title, String description, String unit, List<Query> queries, Map<Integer, String> states) {
    }

    static final List<Panel> PANELS = List.of(
            new Panel("Actions by outcome and surface", "Finished actions per second, by surface (tool_call, rest, mcp) "
                    + "and outcome (success, partial or the error category).", "reqps", List.of(
                    new Query("sum by (surface, outcome) (rate(voicegate_action_requests_total" + RATE + "))",
                            "{{surface}} {{outcome}}")), null),
            new Panel("Action latency", "p50, p95 and p99 of every action, all surfaces together.", "s", List.of(
                    quantile("0.5"), quantile("0.95"), quantile("0.99")), null),
            new Panel("Twilio requests in flight against the budget", "Requests holding a slot, per account (a hash of a "
                    + "configured account's SID, or other), summed over the replicas, and the per-account bound "
                    + "(TWILIO_MAX_CONCURRENT_PER_ACCOUNT): for all replicas together with Redis, per replica without.",
                    "short", List.of(
                    new Query("sum by (account) (voicegate_upstream_in_flight)", "{{account}} in flight"),
                    new Query("max(voicegate_upstream_budget_limit)", "budget per account")), null),
            new Panel("Twilio circuit breakers", "Each Twilio operation's breaker: 0 closed, 1 half-open, 2 open "
                    + "(actions fail fast with upstream_unavailable).", "short", List.of(
                    new Query("max by (breaker) (voicegate_twilio_breaker_state)", "{{breaker}}")),
                    Map.of(0, "closed", 1, "half-open", 2, "open")),
            new Panel("Door refusals", "New actions refused rate_limited before anything was sent: by the replica's "
                    + "limiter (queue_full, admission_wait, queue_wait) and by the budget shared through Redis.", "reqps",
                    List.of(new Query("sum by (reason) (rate(voicegate_upstream_door_refusals_total" + RATE + "))",
                            "{{reason}}"),
                            new Query("sum(rate(voicegate_upstream_budget_refusals_total" + RATE + "))", "shared budget")),
                    null),
            new Panel("Policy denials by rule", "Requests refused by a policy rule (docs/access.md).", "reqps", List.of(
                    new Query("sum by (rule) (rate(voicegate_policy_denials_total" + RATE + "))", "{{rule}}")), null),
            new Panel("Quota remaining", "What is left of each named key's quota windows, as of its latest decision on "
                    + "each replica (the lowest shown).", "short", List.of(
                    new Query("min by (key, window) (voicegate_quota_remaining)", "{{key}} {{window}}")), null),
            new Panel("Callbacks by outcome", "Twilio status and recording callbacks per second: accepted, duplicate, "
                    + "out_of_order, unknown_call, rejected (bad signature: forged or a wrong token).", "reqps", List.of(
                    new Query("sum by (outcome) (rate(voicegate_callbacks_total" + RATE + "))", "{{outcome}}")), null),
            new Panel("Ledger write lag", "How long the oldest ledger write not yet in Redis has waited (the worst "
                    + "replica); writes wait while Redis does not answer.", "s", List.of(
                    new Query("max(voicegate_ledger_write_lag_seconds)", "write lag")), null),
            new Panel("Ledger writes waiting and dropped", "Writes kept in memory while Redis does not answer, and "
                    + "writes dropped because that queue was full (VOICEGATE_LEDGER_PENDING_MAX).", "short", List.of(
                    new Query("sum(voicegate_ledger_pending_writes)", "waiting"),
                    new Query("sum(increase(voicegate_ledger_dropped_writes_total" + RATE + "))", "dropped")), null),
            new Panel("Redis degraded", "Replicas that cannot reach Redis: what needs it fails closed, the rest goes on "
                    + "(docs/operations.md#probes).", "short", List.of(
                    new Query("sum(voicegate_redis_degraded)", "replicas degraded")), null));

    private DashboardGenerator() {
    }

    private static Query quantile(String q) {
        return new Query("histogram_quantile(" + q + ", sum by (le, action) (rate(voicegate_action_duration_seconds_bucket"
                + RATE + ")))", "p" + q.substring(2) + (q.length() == 3 ? "0" : "") + " {{action}}");
    }

    /** The dashboard's JSON, as checked in. */
    static String json() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode dashboard = mapper.createObjectNode();
        dashboard.put("title", "Voicegate");
        dashboard.put("uid", "voicegate");
        dashboard.put("description", "Generated by src/test/java/dev/voicegate/observability/DashboardGenerator.java "
                + "from what /q/metrics exports; see docs/operations.md#dashboard-and-alerts");
        dashboard.putArray("tags").add("voicegate");
        dashboard.put("editable", true);
        dashboard.put("schemaVersion", 39);
        dashboard.put("version", 1);
        dashboard.put("refresh", "30s");
        dashboard.putObject("time").put("from", "now-6h").put("to", "now");
        ObjectNode datasource = dashboard.putObject("templating").putArray("list").addObject();
        datasource.put("name", "datasource").put("label", "Prometheus").put("type", "datasource")
                .put("query", "prometheus").put("hide", 0);
        ArrayNode panels = dashboard.putArray("panels");
        for (int i = 0; i < PANELS.size(); i++) {
            panels.add(panel(mapper, i, PANELS.get(i)));
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        return mapper.writer(printer).writeValueAsString(dashboard) + "\n";
    }

    private static ObjectNode panel(ObjectMapper mapper, int index, Panel spec) {
        ObjectNode panel = mapper.createObjectNode();
        panel.put("id", index + 1);
        panel.put("type", "timeseries");
        panel.put("title", spec.title());
        panel.put("description", spec.description());
        panel.putObject("datasource").put("type", "prometheus").put("uid", "${datasource}");
        panel.putObject("gridPos").put("h", 8).put("w", 12).put("x", index % 2 * 12).put("y", index / 2 * 8);
        ObjectNode defaults = panel.putObject("fieldConfig").putObject("defaults");
        defaults.put("unit", spec.unit());
        defaults.put("min", 0);
        if (spec.states() != null) {
            ObjectNode options = defaults.putArray("mappings").addObject().put("type", "value").putObject("options");
            spec.states().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(state -> options
                    .putObject(Integer.toString(state.getKey())).put("text", state.getValue()));
            defaults.put("max", 2);
        }
        panel.with("fieldConfig").putArray("overrides");
        ObjectNode options = panel.putObject("options");
        options.putObject("legend").put("displayMode", "list").put("placement", "bottom").put("showLegend", true);
        options.putObject("tooltip").put("mode", "multi").put("sort", "desc");
        ArrayNode targets = panel.putArray("targets");
        for (int i = 0; i < spec.queries().size(); i++) {
            Query query = spec.queries().get(i);
            ObjectNode target = targets.addObject();
            target.put("refId", String.valueOf((char) ('A' + i)));
            target.putObject("datasource").put("type", "prometheus").put("uid", "${datasource}");
            target.put("expr", query.expr());
            target.put("legendFormat", query.legend());
        }
        return panel;
    }

    static void write() throws IOException {
        Files.createDirectories(FILE.getParent());
        Files.writeString(FILE, json());
    }
}
