import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue #22's bench row (bench/policy-checks.sh): what calling hours and a do-not-call list add to make_call. Runs
 * against two services on the same stand-in ({@code CallbacksBench standin}, compiled beside this file): "plain", where
 * the key has no calling hours and the do-not-call list is empty, and "policed", where the same key has a window that
 * is always open and the list holds many numbers (never the one called). Three roles:
 * <ul>
 * <li>{@code fill <service> <operator key> <count>}: lists {@code +12125550000} onwards with PUTs, 8 at a time, then
 * checks that a listed number is refused (rule {@code do-not-call}) and that GET /v1/me shows the calling hours;</li>
 * <li>{@code measure <plain> <policed> <account> <key> <label>}: make_call one at a time, runs alternating between the
 * two, after a warm-up of each; prints the median of each side's p50s and p99s;</li>
 * <li>{@code table <results file>}: the Markdown rows.</li>
 * </ul>
 * Only the JDK.
 */
public final class PolicyChecksBench {

    static final boolean QUICK = "1".equals(System.getenv("BENCH_QUICK"));
    static final int WARMUP = CallbacksBench.setting("MAKECALL_WARMUP", QUICK ? 100 : 10_000);
    static final int SAMPLES = CallbacksBench.setting("MAKECALL_SAMPLES", QUICK ? 100 : 2_000);
    static final int ROUNDS = CallbacksBench.setting("MAKECALL_ROUNDS", QUICK ? 1 : 3);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fill" -> fill(args[1], args[2], Integer.parseInt(args[3]), args[4]);
            case "measure" -> measure(args[1], args[2], args[3], args[4], args[5]);
            case "table" -> table(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    static void fill(String service, String operator, int count, String agent) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        HttpResponse<String> put = CallbacksBench.HTTP.send(CallbacksBench.authorized(service
                                + "/v1/admin/do-not-call/%2B" + listed(i), operator).header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"reason\":\"bench\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (put.statusCode() != 200) {
                            throw new IllegalStateException("PUT do-not-call answered " + put.statusCode() + " " + put.body());
                        }
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        // The list and the window are in force: a listed number is refused, and /v1/me shows the window.
        HttpResponse<String> refused = CallbacksBench.HTTP.send(CallbacksBench.authorized(service + "/v1/accounts/"
                + System.getenv("ACCOUNT") + "/calls", agent).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CallbacksBench.BODY.replace("+14155551234", "+" + listed(count - 1))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (refused.statusCode() != 403 || !refused.body().contains("rule 'do-not-call'")) {
            throw new IllegalStateException("a listed number was not refused: " + refused.statusCode() + " " + refused.body());
        }
        String me = CallbacksBench.HTTP.send(CallbacksBench.authorized(service + "/v1/me", agent).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        if (!me.contains("\"calling_hours\":\"")) {
            throw new IllegalStateException("the key has no calling hours: " + me);
        }
        System.err.println(count + " numbers on the do-not-call list; " + me.replaceAll(".*(\"calling_hours\":\"[^\"]*\").*", "$1"));
    }

    /** The i-th listed number, without its '+': +1 212 555 xxxx, then further exchanges. */
    static String listed(int i) {
        return String.format(Locale.ROOT, "1212%03d%04d", 555 + i / 10_000, i % 10_000);
    }

    static void measure(String plain, String policed, String account, String key, String label) throws Exception {
        System.err.println(label + ": warming up both services…");
        CallbacksBench.warmUp(plain, account, key);
        CallbacksBench.warmUp(policed, account, key);
        List<Double> plainP50 = new ArrayList<>();
        List<Double> plainP99 = new ArrayList<>();
        List<Double> policedP50 = new ArrayList<>();
        List<Double> policedP99 = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Double> a = CallbacksBench.time(plain, account, key, SAMPLES);
            List<Double> b = CallbacksBench.time(policed, account, key, SAMPLES);
            plainP50.add(CallbacksBench.percentile(a, 50));
            plainP99.add(CallbacksBench.percentile(a, 99));
            policedP50.add(CallbacksBench.percentile(b, 50));
            policedP99.add(CallbacksBench.percentile(b, 99));
        }
        System.out.printf(Locale.ROOT, "%s plain_p50=%.3f plain_p99=%.3f policed_p50=%.3f policed_p99=%.3f "
                + "plain_runs=%s policed_runs=%s samples=%d%n", label, CallbacksBench.percentile(plainP50, 50),
                CallbacksBench.percentile(plainP99, 50), CallbacksBench.percentile(policedP50, 50),
                CallbacksBench.percentile(policedP99, 50), CallbacksBench.runs(plainP50), CallbacksBench.runs(policedP50),
                SAMPLES);
    }

    static void table(Path results) throws Exception {
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : Files.readAllLines(results)) {
            String[] words = line.trim().split(" ");
            Map<String, String> row = new HashMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq > 0) {
                    row.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                }
            }
            rows.put(words[0], row);
        }
        if (QUICK) {
            System.out.println("BENCH_QUICK: a few cold iterations and a short list; these figures are not measurements.");
        }
        String entries = System.getenv().getOrDefault("DNC_ENTRIES", "?");
        String base = System.getenv().getOrDefault("WITHOUT_NAME", "");
        if (!base.isEmpty()) {
            System.out.println("Without: " + base + " (no calling hours, no do-not-call list at all).");
        }
        System.out.println("| make_call one at a time, stand-in answering at once | without, p50 / p99 ms | with, p50 / p99 ms "
                + "| p50 change | target |");
        System.out.println("|---|---:|---:|---:|---|");
        for (String label : List.of("memory", "redis")) {
            Map<String, String> row = rows.get(label);
            String where = label.equals("memory") ? "in memory" : "in Redis (`REDIS_URL`, loopback; the ledger too)";
            String target = label.equals("memory") ? "≤ +0.2 ms" : "≤ +0.5 ms";
            if (row == null) {
                System.out.printf("| calling hours and do-not-call %s | not measured | | | %s |%n", where, target);
                continue;
            }
            double without = Double.parseDouble(row.get("plain_p50"));
            double with = Double.parseDouble(row.get("policed_p50"));
            System.out.printf(Locale.ROOT, "| calling hours (%s) and %s numbers on the do-not-call list, %s. Median of "
                    + "%d runs of %s, alternating, after %d warm-up calls each (p50 runs: %s without; %s with) "
                    + "| %.2f / %.2f | %.2f / %.2f | **%+.2f** | %s |%n", System.getenv().getOrDefault("WINDOW", "?"),
                    entries, where, ROUNDS, row.get("samples"), WARMUP, row.get("plain_runs"), row.get("policed_runs"),
                    without, Double.parseDouble(row.get("plain_p99")), with, Double.parseDouble(row.get("policed_p99")),
                    with - without, target);
        }
    }
}
