import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How long the kill switch takes to reach another replica (bench/kill-switch.sh, issue #22: "within 1 s"): an
 * operator suspends the agent key on replica A; from A's answer, replica B is asked every 2 ms until it refuses the
 * key (rule 'suspended'); then the same for the resume. Each figure is an upper bound by the polling interval and the
 * request's own time. Only the JDK.
 */
public final class KillSwitchBench {

    static final boolean QUICK = "1".equals(System.getenv("BENCH_QUICK"));
    static final int ROUNDS = QUICK ? 3 : 50;
    static final long GIVE_UP_NANOS = Duration.ofSeconds(10).toNanos();

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final String a;
    final String b;
    final String agentKey;
    final String operatorKey;
    final String probe;

    KillSwitchBench(String a, String b, String account, String agentKey, String operatorKey) {
        this.a = a;
        this.b = b;
        this.agentKey = agentKey;
        this.operatorKey = operatorKey;
        this.probe = "{\"account_sid\":\"" + account + "\",\"page_size\":1}";
    }

    public static void main(String[] args) throws Exception {
        KillSwitchBench bench = new KillSwitchBench(args[0], args[1], args[2], args[3], args[4]);
        for (int i = 0; i < (QUICK ? 20 : 500); i++) { // warm both request paths
            bench.refused();
        }
        List<Double> suspend = new ArrayList<>();
        List<Double> resume = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            suspend.add(bench.reaches("suspend", true));
            resume.add(bench.reaches("resume", false));
        }
        if (QUICK) {
            System.out.println("BENCH_QUICK: a few cold iterations; these figures are not measurements.");
        }
        System.out.println("| kill switch, two replicas on one Redis (loopback) | p50 ms | max ms | |");
        System.out.println("|---|---:|---:|---|");
        System.out.printf(Locale.ROOT, "| suspend on replica A → replica B refuses the key (%d rounds) | %.1f | %.1f | target 1,000 ms |%n",
                ROUNDS, percentile(suspend, 50), Collections.max(suspend));
        System.out.printf(Locale.ROOT, "| resume on replica A → replica B serves the key again | %.1f | %.1f | |%n",
                percentile(resume, 50), Collections.max(resume));
    }

    /** Milliseconds from the control's answer on A until B's answer shows it. */
    double reaches(String control, boolean refusedAfter) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(a + "/v1/admin/keys/agent/" + control))
                .header("Authorization", "Bearer " + operatorKey).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(control + ": HTTP " + answer.statusCode() + " " + answer.body());
        }
        long started = System.nanoTime();
        while (refused() != refusedAfter) {
            if (System.nanoTime() - started > GIVE_UP_NANOS) {
                throw new IllegalStateException(control + " did not reach replica B within 10 s");
            }
            Thread.sleep(2);
        }
        return (System.nanoTime() - started) / 1e6;
    }

    /** Whether replica B refuses the agent key as suspended (a tool call: HTTP 200, the envelope says why). */
    boolean refused() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(b + "/v1/actions/list_calls"))
                .header("Authorization", "Bearer " + agentKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(probe)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.body().contains("rule 'suspended'")) {
            return true;
        }
        if (!answer.body().contains("\"success\":true")) {
            throw new IllegalStateException("replica B: HTTP " + answer.statusCode() + " " + answer.body());
        }
        return false;
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
