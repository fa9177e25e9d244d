import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared budget's cost per upstream request (bench/shared-budget.sh): make_call with 0 ms at the stand-in, one at a
 * time, alternately through a service without Redis and one with it, after both are warmed up; then the Redis side of
 * it: EVALs per make_call (one to take the lease, one to give it back) and Redis's own round trip. Only the JDK.
 */
public final class SharedBudgetBench {

    static final boolean QUICK = "1".equals(System.getenv("BENCH_QUICK"));
    static final int WARMUP = QUICK ? 500 : 20_000;
    static final int SAMPLES = QUICK ? 100 : 3_000;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final String body;
    final String key;

    SharedBudgetBench(String account, String key) {
        this.key = key;
        this.body = "{\"account_sid\":\"" + account + "\",\"to\":\"+14155551234\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\"}";
    }

    public static void main(String[] args) throws Exception {
        String local = args[0];
        String shared = args[1];
        SharedBudgetBench bench = new SharedBudgetBench(args[2], args[3]);
        int redisPort = Integer.parseInt(args[4]);
        System.err.println("warming up both services…");
        bench.load(local, 8, WARMUP);
        bench.load(shared, 8, WARMUP);
        long evals = redisCalls(redisPort, "eval");
        List<Double> withRedis = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            withRedis.add(bench.timeOnce(shared));
            without.add(bench.timeOnce(local));
        }
        double perCall = (double) (redisCalls(redisPort, "eval") - evals) / SAMPLES;
        List<Double> ping = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", redisPort)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < SAMPLES; i++) {
                long t = System.nanoTime();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.readLine();
                ping.add((System.nanoTime() - t) / 1e6);
            }
        }
        double p50 = percentile(withRedis, 50);
        double localP50 = percentile(without, 50);
        if (QUICK) {
            System.out.println("BENCH_QUICK: a few cold iterations; these figures are not measurements.");
        }
        System.out.println("| 0 ms per Twilio request | p50 ms | p99 ms | |");
        System.out.println("|---|---:|---:|---|");
        System.out.printf(Locale.ROOT, "| Shared-budget overhead: make_call one at a time, service with REDIS_URL (a lease "
                + "taken and given back in Redis on loopback), after %d warm-up requests | %.2f | %.2f | without Redis: %.2f "
                + "(shared budget adds **%+.2f**, target at most 1 ms); EVAL per make_call: %.1f; Redis round trip %.2f |%n",
                WARMUP, p50, percentile(withRedis, 99), localP50, p50 - localP50, perCall, percentile(ping, 50));
    }

    void load(String service, int threads, int total) throws Exception {
        AtomicInteger left = new AtomicInteger(total);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        makeCall(service);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    double timeOnce(String service) throws Exception {
        long t = System.nanoTime();
        makeCall(service);
        return (System.nanoTime() - t) / 1e6;
    }

    void makeCall(String service) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service + "/v1/actions/make_call"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (!response.body().contains("\"success\":true")) {
            throw new IllegalStateException(service + ": " + response.statusCode() + " " + response.body());
        }
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1));
    }

    /** Calls of one command in Redis's INFO commandstats, e.g. {@code eval}. */
    static long redisCalls(int port, String command) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int length = Integer.parseInt(in.readLine().substring(1));
            char[] text = new char[length];
            int read = 0;
            while (read < length) {
                read += in.read(text, read, length - read);
            }
            Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(new String(text));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }
}
