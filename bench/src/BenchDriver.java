import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's load driver: measures Voicegate against the stand-in and the stand-in alone, MCP tools/call against
 * the same actions through /v1/actions, and prints one Markdown table. Only the JDK: {@code java bench/src/BenchDriver.java <stand-in url> <service url> <account sid>
 * <service key> <service pid> <latency ms> <stand-in pid> <cpus>}. Every phase has a fixed number of iterations but
 * the make_call warm-up. {@code cpus} (e.g. {@code 0,1}) is set when run.sh pinned the service to its own core: the
 * make_call throughput is then measured that way, then again with all three processes spread over {@code cpus}.
 */
public final class BenchDriver {

    /** BENCH_QUICK=1: a few iterations of every phase, to check that the benchmark runs (CI), not to measure. */
    static final boolean QUICK = "1".equals(System.getenv("BENCH_QUICK"));
    static final int[] PAGE_SIZES = { 10, 50, 200, 1000 };
    /**
     * Warm-up before the timed phases, sent at 0 ms latency so it takes seconds: list_calls per page size (4 at a
     * time; pages of 1000: a tenth as many, one at a time), and get_recording (16 at a time). Without it the JIT
     * has not compiled the service's code yet and a get_recording measures the interpreter (+4 ms at p50).
     */
    static final int WARMUP = QUICK ? 1 : 300;
    static final int GET_RECORDING_WARMUP = QUICK ? 5 : 3_000;
    static final int LIST_ITERATIONS = QUICK ? 3 : 20;
    static final int UNBOUNDED_ITERATIONS = QUICK ? 1 : 5;
    static final int GET_RECORDING_ITERATIONS = QUICK ? 5 : 50;
    /** MCP against /v1/actions: this many of each, alternating, after as many of each at 0 ms latency. */
    static final int MCP_ITERATIONS = QUICK ? 5 : 200;
    static final int MCP_WARMUP = QUICK ? 5 : 2_000;
    /** get_calls waiting at once for their calls to end; sent 2 ms apart, as agents that start within a second. */
    static final int WAITING_GET_CALLS = QUICK ? 50 : 500;
    /** How long the stand-in lets each of those calls ring before it completes. */
    static final int RING_MS = QUICK ? 2_000 : 10_000;
    /** The Twilio Java SDK's default pool: 20 connections per route (its NetworkHttpClient's connection manager). */
    static final int SDK_CONNECTIONS = 20;
    static final int MAKE_CALL_CONCURRENCY = 64;
    /**
     * make_call warm-up: rounds at 64 concurrent, at least {@code MIN_WARMUP_ROUNDS}, then until a round is less
     * than 5% faster than the one before. On one core the service's JIT needs some 100,000 make_calls to settle,
     * and a figure taken earlier measures the compiler; one round's noise can look like a plateau, hence the minimum.
     */
    static final int WARMUP_ROUND = QUICK ? 500 : 10_000;
    static final int MIN_WARMUP_ROUNDS = QUICK ? 1 : 8;
    static final int MAX_WARMUP_ROUNDS = QUICK ? 1 : 20;
    static final int MAKE_CALL_REQUESTS = QUICK ? 1_000 : 20_000;
    static final int MAKE_CALL_LATENCY_SAMPLES = QUICK ? 50 : 1_000;
    /**
     * Policy rows: make_calls with a key that has a policy (destinations, from, quotas per minute, hour and day),
     * warmed up at 8 concurrent, then sampled one at a time alternately with the unnamed key, so that drift hits
     * both alike. The key's quotas (run.sh: 100,000 per window) are far above what the bench sends.
     */
    static final int POLICY_WARMUP = QUICK ? 200 : 10_000;
    static final int POLICY_SAMPLES = QUICK ? 50 : 1_000;
    static final String RECORDING_SID = String.format("RE%032x", 1);
    /** The stand-in's recording audio (TwilioStandIn.MEDIA_BYTES). */
    static final int MEDIA_BYTES = 50 * 1024 * 1024;
    /**
     * Media warm-up, in pairs (one through the service, one direct): with 5 pairs the service's C2 compiler still
     * spent some 80 ms of CPU per timed pair on its one core, against about 50 ms for the transfer itself.
     */
    static final int MEDIA_WARMUP = QUICK ? 1 : 30;
    static final int MEDIA_ITERATIONS = QUICK ? 2 : 20;
    /** get_call against one direct fetch of the call, alternating, so that drift on a shared machine hits both alike. */
    static final int GET_CALL_ITERATIONS = QUICK ? 5 : 200;
    static final Pattern CALL_SID = Pattern.compile("\"(?:call_)?sid\":\"(CA[0-9a-f]{32})\"");
    static final Pattern RECORDING_SIDS = Pattern.compile("\"recording_sids\":\\[([^\\]]*)\\]");
    static final Pattern RE_SID = Pattern.compile("\"sid\":\"(RE[0-9a-f]{32})\"");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** One thread per pooled connection: a blocking send holds its connection as the SDK's does. */
    final ExecutorService sdkPool = Executors.newFixedThreadPool(SDK_CONNECTIONS, runnable -> {
        Thread thread = new Thread(runnable, "sdk-pool");
        thread.setDaemon(true);
        return thread;
    });
    final String standIn;
    final String service;
    final String account;
    final String key;
    final String twilioPrefix;
    final AtomicInteger mcpIds = new AtomicInteger();
    long standInPid;
    String allCpus;
    /** The key with a policy (run.sh: voicegate.access.keys.guarded), a second service whose quotas are in Redis. */
    String guardedKey = "";
    String redisService = "";
    int redisPort;

    BenchDriver(String standIn, String service, String account, String key) {
        this.standIn = standIn;
        this.service = service;
        this.account = account;
        this.key = key;
        this.twilioPrefix = standIn + "/2010-04-01/Accounts/" + account;
    }

    public static void main(String[] args) throws Exception {
        BenchDriver d = new BenchDriver(args[0], args[1], args[2], args[3]);
        long pid = Long.parseLong(args[4]);
        int latency = Integer.parseInt(args[5]);
        d.standInPid = Long.parseLong(args[6]);
        d.allCpus = args.length > 7 ? args[7] : "";
        d.guardedKey = args.length > 8 ? args[8] : "";
        d.redisService = args.length > 9 ? args[9] : "";
        d.redisPort = args.length > 10 && !args[10].isEmpty() ? Integer.parseInt(args[10]) : 0;
        if (!d.run(pid, latency)) {
            System.err.println("the service's recording_sids differ from one lookup per call");
            System.exit(1);
        }
    }

    // --- HTTP helpers ---------------------------------------------------------------------------------------------

    String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(request.uri() + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    String action(String name, String json) {
        return action(service, key, name, json);
    }

    String action(String serviceUrl, String bearer, String name, String json) {
        return send(HttpRequest.newBuilder(URI.create(serviceUrl + "/v1/actions/" + name))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** An MCP session of its own, as a client opens one: initialize, then notifications/initialized. */
    String mcpSession() {
        HttpResponse<String> response;
        try {
            response = http.send(mcpRequest(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\","
                    + "\"version\":\"1\"}}}"), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        send(mcpRequest(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
        return session;
    }

    HttpRequest mcpRequest(String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service + "/mcp"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Mcp-Protocol-Version", "2025-11-25");
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** An MCP tools/call on the session; fails unless the tool succeeded. */
    String mcp(String session, String tool, String arguments) {
        String body = send(mcpRequest(session, "{\"jsonrpc\":\"2.0\",\"id\":" + mcpIds.incrementAndGet()
                + ",\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}"));
        if (!body.contains("\"isError\":false") || body.contains("\\\"error\\\":\\\"")) {
            throw new IllegalStateException("MCP " + tool + " failed: " + body.substring(0, Math.min(400, body.length())));
        }
        return body;
    }

    void reset(int latencyMs) {
        send(HttpRequest.newBuilder(URI.create(standIn + "/__reset?latency=" + latencyMs))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    long[] stats() {
        String s = get(standIn + "/__stats");
        return new long[] { number(s, "requests"), number(s, "max_in_flight") };
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    // --- the phases -----------------------------------------------------------------------------------------------

    String listCalls(int pageSize) {
        String body = action("list_calls", "{\"account_sid\":\"" + account + "\",\"page_size\":" + pageSize + "}");
        if (!body.contains("\"success\":true") || body.contains("\"error\":\"")) {
            throw new IllegalStateException("list_calls failed: " + body.substring(0, Math.min(400, body.length())));
        }
        return body;
    }

    /** Each call's recording SIDs in the service's answer. */
    static Map<String, List<String>> fromService(String body) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        Matcher calls = Pattern.compile("\"call_sid\":\"(CA[0-9a-f]{32})\"").matcher(body);
        Matcher sids = RECORDING_SIDS.matcher(body);
        while (calls.find() && sids.find()) {
            List<String> list = new ArrayList<>();
            Matcher re = Pattern.compile("\"(RE[0-9a-f]{32})\"").matcher(sids.group(1));
            while (re.find()) {
                list.add(re.group(1));
            }
            result.put(calls.group(1), list);
        }
        return result;
    }

    List<String> callSids(String callsPage) {
        List<String> sids = new ArrayList<>();
        Matcher m = Pattern.compile("\"sid\":\"(CA[0-9a-f]{32})\"").matcher(callsPage);
        while (m.find()) {
            sids.add(m.group(1));
        }
        return sids;
    }

    static List<String> recordingSids(String page) {
        List<String> sids = new ArrayList<>();
        Matcher m = RE_SID.matcher(page);
        while (m.find()) {
            sids.add(m.group(1));
        }
        return sids;
    }

    /** The product card's design: the calls page, then one recordings request per call, one after another. */
    Map<String, List<String>> sequential(int pageSize) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String call : callSids(get(twilioPrefix + "/Calls.json?PageSize=" + pageSize))) {
            result.put(call, recordingSids(get(twilioPrefix + "/Calls/" + call + "/Recordings.json?PageSize=1000")));
        }
        return result;
    }

    /** The calls page, then every per-call lookup at once, each on its own connection. */
    void unboundedParallel(int pageSize) {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (String call : callSids(get(twilioPrefix + "/Calls.json?PageSize=" + pageSize))) {
            all.add(http.sendAsync(lookupRequest(call), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * The calls page, then every per-call lookup submitted at once, as an SDK user writes it
     * ({@code readAsync()} per call): the lookups wait for one of the SDK's {@value #SDK_CONNECTIONS} pooled
     * connections, which is what the 2.7 s for 1000 calls measured.
     */
    void unboundedParallelSdkPool(int pageSize) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String call : callSids(get(twilioPrefix + "/Calls.json?PageSize=" + pageSize))) {
            all.add(CompletableFuture.runAsync(() -> send(lookupRequest(call)), sdkPool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    HttpRequest lookupRequest(String callSid) {
        return HttpRequest.newBuilder(URI.create(twilioPrefix + "/Calls/" + callSid + "/Recordings.json?PageSize=1000"))
                .GET().build();
    }

    record Timing(double p50, double p99) {
    }

    interface Op {
        void run() throws Exception;
    }

    /** {@code a} and {@code b} timed alternately, so that drift during the run weighs on both alike. */
    static Timing[] paired(int iterations, Op a, Op b) throws Exception {
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            a.run();
            first.add(millis(System.nanoTime() - t));
            t = System.nanoTime();
            b.run();
            second.add(millis(System.nanoTime() - t));
        }
        return new Timing[] { new Timing(percentile(first, 50), percentile(first, 99)),
                new Timing(percentile(second, 50), percentile(second, 99)) };
    }

    /** A row: the MCP tools/call against the same action through /v1/actions, in the same run, at the same latency. */
    String[] mcpRow(String label, String tool, String arguments, int latency) throws Exception {
        String session = mcpSession();
        reset(0);
        throughput(4, MCP_WARMUP, () -> mcp(session, tool, arguments));
        throughput(4, MCP_WARMUP, () -> action(tool, arguments));
        reset(latency);
        Timing[] t = paired(MCP_ITERATIONS, () -> mcp(session, tool, arguments), () -> action(tool, arguments));
        long[] s = stats();
        return new String[] { "MCP tools/call " + label, f(t[0].p50), f(t[0].p99),
                String.format(Locale.ROOT, "%.1f", (double) s[0] / (2 * MCP_ITERATIONS)), String.valueOf(s[1]),
                "/v1/actions: " + f(t[1].p50) + " (MCP adds **" + String.format(Locale.ROOT, "%+.1f", t[0].p50 - t[1].p50)
                        + "**)", "", "", "" };
    }

    static Timing time(int iterations, Op op) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            op.run();
            ms.add(millis(System.nanoTime() - t));
        }
        return new Timing(percentile(ms, 50), percentile(ms, 99));
    }

    /** Requests per second of {@code op} run by {@code threads} threads, {@code total} times in all. */
    static double throughput(int threads, int total, Op op) throws Exception {
        AtomicInteger left = new AtomicInteger(total);
        AtomicInteger failures = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        long t = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread w = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        op.run();
                    } catch (Exception e) {
                        if (failures.incrementAndGet() == 1) {
                            System.err.println("first failed request: " + e.getMessage());
                        }
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        if (failures.get() > 0) {
            System.err.println(failures.get() + " of " + total + " requests failed");
        }
        return total / seconds;
    }

    /** Runs {@code op} at 64 concurrent in rounds until it stops getting faster; returns the requests sent. */
    static int warmUp(Op op) throws Exception {
        double previous = 0;
        for (int round = 1; round <= MAX_WARMUP_ROUNDS; round++) {
            double rate = throughput(MAKE_CALL_CONCURRENCY, WARMUP_ROUND, op);
            if (round >= MIN_WARMUP_ROUNDS && rate < previous * 1.05) {
                return round * WARMUP_ROUND;
            }
            previous = rate;
        }
        return MAX_WARMUP_ROUNDS * WARMUP_ROUND;
    }

    /** Lets the service, the stand-in and this driver run on every core; false if taskset refused. */
    boolean spreadOverAllCores(long... pids) throws Exception {
        for (long process : pids) {
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", allCpus, String.valueOf(process))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (taskset.waitFor() != 0) {
                System.err.println("taskset could not move process " + process + " to cores " + allCpus);
                return false;
            }
        }
        return true;
    }

    /** make_call throughput at 64 concurrent, through the service and straight to the stand-in. */
    String[] makeCallThroughput(Op direct, Op viaService, String where) throws Exception {
        reset(0);
        double serviceRate = throughput(MAKE_CALL_CONCURRENCY, MAKE_CALL_REQUESTS, viaService);
        long[] m = stats();
        double directRate = throughput(MAKE_CALL_CONCURRENCY, MAKE_CALL_REQUESTS, direct);
        return new String[] { "make_call, 0 ms latency: " + MAKE_CALL_CONCURRENCY + " concurrent, " + where,
                String.format(Locale.ROOT, "**%.0f req/s**", serviceRate), "", "", String.valueOf(m[1]),
                String.format(Locale.ROOT, "stand-in direct: %.0f req/s (service: **%.0f%%**)", directRate,
                        100 * serviceRate / directRate), "", "", "" };
    }

    /** A make_call through {@code serviceUrl} with {@code bearer}; fails unless it succeeded. */
    Op makeCall(String serviceUrl, String bearer) {
        String callBody = "{\"account_sid\":\"" + account + "\",\"to\":\"+14155551234\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\"}";
        return () -> {
            String body = action(serviceUrl, bearer, "make_call", callBody);
            if (!body.contains("\"success\":true")) {
                throw new IllegalStateException(body);
            }
        };
    }

    /**
     * make_call one at a time with the guarded key, and its cost over the unnamed key (both pass the toll-fraud
     * guard and write an audit line; the guarded key's destinations, from and quotas are what is added). With
     * Redis: the Redis round trip and the EVALs Redis ran per make_call.
     */
    String[] policyRow(String serviceUrl, String where) throws Exception {
        Op unnamed = makeCall(serviceUrl, key);
        Op guarded = makeCall(serviceUrl, guardedKey);
        throughput(8, POLICY_WARMUP, guarded);
        throughput(8, POLICY_WARMUP, unnamed);
        boolean redis = redisPort > 0 && serviceUrl.equals(redisService);
        long evals = redis ? redisCalls("eval") : 0;
        List<Double> plain = new ArrayList<>();
        List<Double> withPolicy = new ArrayList<>();
        for (int i = 0; i < POLICY_SAMPLES; i++) {
            plain.add(timeOnce(unnamed));
            withPolicy.add(timeOnce(guarded));
        }
        double p50 = percentile(withPolicy, 50);
        double unnamedP50 = percentile(plain, 50);
        String note = String.format(Locale.ROOT, "unnamed key: %.2f (policy adds **%+.2f**)", unnamedP50, p50 - unnamedP50);
        if (redis) {
            double perCall = (double) (redisCalls("eval") - evals) / POLICY_SAMPLES;
            try (Resp connection = new Resp(redisPort)) {
                Timing roundTrip = time(POLICY_SAMPLES, () -> connection.command("PING"));
                note += String.format(Locale.ROOT, "; Redis round trip %.2f; EVAL per make_call: %.1f", roundTrip.p50,
                        perCall);
            }
        }
        return new String[] { "make_call, 0 ms latency: one at a time, key with a policy (destinations, from, quotas "
                + "per minute, hour, day) " + where, String.format(Locale.ROOT, "%.2f", p50),
                f(percentile(withPolicy, 99)), "1.0", "", note, "", "", "" };
    }

    static double timeOnce(Op op) throws Exception {
        long t = System.nanoTime();
        op.run();
        return millis(System.nanoTime() - t);
    }

    /** Calls of one command in Redis's INFO commandstats, e.g. {@code eval}. */
    long redisCalls(String command) throws Exception {
        try (Resp connection = new Resp(redisPort)) {
            Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(connection.command("INFO",
                    "commandstats"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }

    /** A minimal Redis client: one connection, one command at a time, simple and bulk string replies. */
    static final class Resp implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;

        Resp(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        }

        String command(String... args) throws Exception {
            StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                out.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
            }
            socket.getOutputStream().write(out.toString().getBytes(StandardCharsets.US_ASCII));
            String line = line();
            if (line.startsWith("$")) {
                byte[] bulk = new byte[Integer.parseInt(line.substring(1))];
                in.readFully(bulk);
                line();
                return new String(bulk, StandardCharsets.UTF_8);
            }
            return line;
        }

        String line() throws Exception {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            in.read();
            return line.toString();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    /** Downloads {@code url} to the end without keeping it; returns the time taken, after checking the size. */
    long download(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0;) {
                bytes += n;
            }
        }
        if (response.statusCode() != 200 || bytes != MEDIA_BYTES) {
            throw new IllegalStateException(url + " -> " + response.statusCode() + ", " + bytes + " bytes");
        }
        return System.nanoTime() - started;
    }

    /**
     * A recording's audio, 50 MB on loopback at 0 ms latency, one download at a time: through the service
     * ({@code /media}) and straight from the stand-in, alternating, after a warm-up of both. The ratio is the median
     * of each pair's (direct time / service time): on a shared machine the load drifts, and a pair meets the same
     * load. The service's CPU per download (from /proc, in clock ticks of 10 ms) says how much of a core it needs.
     */
    String[] media(long pid) throws Exception {
        String direct = twilioPrefix + "/Recordings/" + RECORDING_SID + ".wav";
        String viaService = service + "/v1/accounts/" + account + "/recordings/" + RECORDING_SID + "/media";
        String key = "Bearer " + this.key;
        reset(0);
        for (int i = 0; i < MEDIA_WARMUP; i++) {
            download(direct, null);
            download(viaService, key);
        }
        reset(0);
        List<Double> service = new ArrayList<>();
        List<Double> straight = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        long serviceTicks = 0;
        for (int i = 0; i < MEDIA_ITERATIONS; i++) {
            long before = cpuTicks(pid);
            double viaMs = millis(download(viaService, key));
            serviceTicks += cpuTicks(pid) - before;
            double directMs = millis(download(direct, null));
            service.add(viaMs);
            straight.add(directMs);
            ratios.add(directMs / viaMs);
        }
        long[] m = stats();
        double serviceRate = MEDIA_BYTES / 1e6 / (percentile(service, 50) / 1000);
        double directRate = MEDIA_BYTES / 1e6 / (percentile(straight, 50) / 1000);
        return new String[] { "recording media, 50 MB, 0 ms latency: one download at a time",
                f(percentile(service, 50)), f(percentile(service, 99)),
                String.format(Locale.ROOT, "%.1f", (double) m[0] / (2 * MEDIA_ITERATIONS)), String.valueOf(m[1]),
                String.format(Locale.ROOT, "stand-in direct: %s ms, %.0f MB/s; through the service %.0f MB/s "
                        + "(**%.0f%%**, median of %d alternating pairs); service CPU %.0f ms per download",
                        f(percentile(straight, 50)), directRate, serviceRate, 100 * percentile(ratios, 50),
                        MEDIA_ITERATIONS, 10.0 * serviceTicks / MEDIA_ITERATIONS),
                "", "", "" };
    }

    /** User and system CPU of a process so far, in clock ticks (10 ms on Linux). */
    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Prints the table; false when the service's recording SIDs differed from the per-call lookups'. */
    boolean run(long pid, int latency) throws Exception {
        boolean allIdentical = true;
        List<String[]> rows = new ArrayList<>();
        System.err.println("warm-up");
        reset(0);
        for (int size : PAGE_SIZES) {
            // Pages of 1000 one at a time: four at once at 0 ms latency push the heap to its maximum (RSS ~300 MB).
            boolean large = size >= 1000;
            throughput(large ? 1 : 4, large ? Math.max(1, WARMUP / 10) : WARMUP, () -> listCalls(size));
        }
        for (int size : PAGE_SIZES) {
            System.err.printf("list_calls, page of %d%n", size);
            reset(latency);
            String[] last = new String[1];
            Timing service = time(LIST_ITERATIONS, () -> last[0] = listCalls(size));
            long[] s = stats();
            int seqIterations = size <= 50 && !QUICK ? 3 : 1;
            reset(latency);
            List<Map<String, List<String>>> perCall = new ArrayList<>();
            Timing seq = time(seqIterations, () -> perCall.add(sequential(size)));
            // The service's answer must hold exactly what one lookup per call gives.
            boolean identical = perCall.get(0).equals(fromService(last[0]));
            allIdentical &= identical;
            reset(latency);
            Timing sdk = time(UNBOUNDED_ITERATIONS, () -> unboundedParallelSdkPool(size));
            long[] p = stats();
            reset(latency);
            Timing unbounded = time(UNBOUNDED_ITERATIONS, () -> unboundedParallel(size));
            long[] u = stats();
            rows.add(new String[] { "list_calls, page of " + size + " with recordings" + roundTrips(size, service.p50, latency),
                    f(service.p50), f(service.p99),
                    String.format(Locale.ROOT, "%.1f", (double) s[0] / LIST_ITERATIONS), String.valueOf(s[1]),
                    f(seq.p50) + " (**" + x(seq.p50 / service.p50) + "**)",
                    f(sdk.p50) + " (**" + x(sdk.p50 / service.p50) + "**; " + (size + 1) + " req, " + p[1]
                            + " in flight)",
                    f(unbounded.p50) + " (" + x(unbounded.p50 / service.p50) + "; " + (size + 1) + " req, "
                            + u[1] + " in flight)",
                    identical ? "yes" : "**NO**" });
        }

        System.err.println("get_recording");
        String getBody = "{\"account_sid\":\"" + account + "\",\"recording_sid\":\"" + RECORDING_SID + "\"}";
        reset(0);
        throughput(16, GET_RECORDING_WARMUP, () -> action("get_recording", getBody));
        reset(latency);
        Timing getRecording = time(GET_RECORDING_ITERATIONS, () -> action("get_recording", getBody));
        long[] g = stats();
        reset(latency);
        Timing oneTrip = time(GET_RECORDING_ITERATIONS, () -> get(twilioPrefix + "/Recordings/" + RECORDING_SID + ".json"));
        rows.add(new String[] { "get_recording", f(getRecording.p50), f(getRecording.p99),
                String.format(Locale.ROOT, "%.1f", (double) g[0] / GET_RECORDING_ITERATIONS), String.valueOf(g[1]),
                "one round-trip: " + f(oneTrip.p50) + " (+" + f(getRecording.p50 - oneTrip.p50) + ")", "", "", "" });

        System.err.println("MCP against /v1/actions");
        rows.add(mcpRow("get_recording", "get_recording", getBody, latency));
        rows.add(mcpRow("list_calls, page of 50", "list_calls", "{\"account_sid\":\"" + account + "\",\"page_size\":50}",
                latency));
        System.err.println("get_call");
        String callSid = String.format("CA%032x", 1);
        String getCallBody = "{\"account_sid\":\"" + account + "\",\"call_sid\":\"" + callSid + "\"}";
        reset(0);
        throughput(16, GET_RECORDING_WARMUP, () -> action("get_call", getCallBody));
        // Issue 12's target: get_call as an agent calls it (recording SIDs included, the default; no wait) within one
        // round trip, a direct fetch of the call, plus 5 ms. Alternating, so that drift hits both alike.
        reset(latency);
        Timing[] getCall = paired(GET_CALL_ITERATIONS, () -> action("get_call", getCallBody),
                () -> get(twilioPrefix + "/Calls/" + callSid + ".json"));
        long[] c = stats();
        rows.add(new String[] { "get_call (with recording SIDs, no wait)", f(getCall[0].p50), f(getCall[0].p99),
                String.format(Locale.ROOT, "%.1f", (double) (c[0] - GET_CALL_ITERATIONS) / GET_CALL_ITERATIONS),
                String.valueOf(c[1]), "one round-trip: " + f(getCall[1].p50) + " (**+" + f(getCall[0].p50 - getCall[1].p50)
                        + "**)", "", "", "" });
        System.err.printf("get_call, %d waiting at once%n", WAITING_GET_CALLS);
        rows.add(waitingGetCalls(pid, latency));
        System.err.println("recording media");
        rows.add(media(pid));

        System.err.println("make_call");
        reset(0);
        String form = "To=%2B14155551234&From=%2B15017122661&Url=https%3A%2F%2Fexample.com%2Ftwiml";
        Op direct = () -> send(HttpRequest.newBuilder(URI.create(twilioPrefix + "/Calls.json"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        String callBody = "{\"account_sid\":\"" + account + "\",\"to\":\"+14155551234\",\"from_\":\"+15017122661\","
                + "\"url\":\"https://example.com/twiml\"}";
        Op viaService = () -> {
            String body = action("make_call", callBody);
            if (!body.contains("\"success\":true")) {
                throw new IllegalStateException(body);
            }
        };
        int warmup = warmUp(direct) + warmUp(viaService);
        Timing directLatency = time(MAKE_CALL_LATENCY_SAMPLES, direct);
        Timing serviceLatency = time(MAKE_CALL_LATENCY_SAMPLES, viaService);
        rows.add(new String[] { "make_call, 0 ms latency: one at a time, after " + warmup + " warm-up requests",
                f(serviceLatency.p50), f(serviceLatency.p99),
                "1.0", "", "stand-in direct: " + f(directLatency.p50) + " (service adds "
                        + f(serviceLatency.p50 - directLatency.p50) + ")", "", "", "" });
        if (!guardedKey.isEmpty()) {
            System.err.println("make_call with a policy");
            rows.add(policyRow(service, "in memory"));
        }
        boolean pinned = !allCpus.isEmpty();
        rows.add(makeCallThroughput(direct, viaService, pinned
                ? "service on its own core, driver and stand-in on the others"
                : "service, driver and stand-in sharing " + Runtime.getRuntime().availableProcessors() + " cores"));
        if (pinned && spreadOverAllCores(pid, standInPid, ProcessHandle.current().pid())) {
            throughput(MAKE_CALL_CONCURRENCY, WARMUP_ROUND, viaService);
            rows.add(makeCallThroughput(direct, viaService, "service, driver and stand-in sharing cores " + allCpus));
        }

        if (!guardedKey.isEmpty() && !redisService.isEmpty()) {
            System.err.println("make_call with a policy, quotas in Redis (second service)");
            reset(0);
            int redisWarmup = warmUp(makeCall(redisService, key));
            rows.add(policyRow(redisService, "in Redis (second service, after " + redisWarmup + " warm-up requests)"));
        }

        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        rows.add(new String[] { "service RSS after the run (peak)", kb(status, "VmRSS") + " (" + kb(status, "VmHWM") + ")",
                "", "", "", "", "", "", "" });

        if (QUICK) {
            System.out.println("BENCH_QUICK: a few cold iterations per phase; these figures are not measurements.");
        }
        System.out.println("| " + latency + " ms per Twilio request | p50 ms | p99 ms | upstream req/op | max upstream in flight"
                + " | sequential N+1 p50 ms (× faster) | unbounded parallel N+1, SDK pool of " + SDK_CONNECTIONS
                + " connections, p50 ms (× faster) | unbounded parallel N+1, no connection cap, p50 ms (× faster)"
                + " | same SIDs as per-call |");
        System.out.println("|---|---:|---:|---:|---:|---|---|---|---|");
        for (String[] row : rows) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
        return allIdentical;
    }

    /**
     * {@link #WAITING_GET_CALLS} get_calls with {@code wait_seconds} 30 for calls that ring {@link #RING_MS} and then
     * complete, sampling the service's threads and heap while they wait: one row.
     */
    String[] waitingGetCalls(long pid, int latency) throws Exception {
        send(HttpRequest.newBuilder(URI.create(standIn + "/__reset?latency=" + latency + "&ring=" + RING_MS))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        long[] before = threadsAndHeap(pid);
        long[] peak = before.clone();
        // A flag, not an interrupt: an interrupt that lands in the /q/metrics request is swallowed there, and the
        // sampler then never stopped (the run hung in this phase).
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                long[] now = threadsAndHeap(pid);
                peak[0] = Math.max(peak[0], now[0]);
                peak[1] = Math.max(peak[1], now[1]);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true); // should a get_call fail, the driver must still exit, and run.sh stop what it started
        sampler.start();
        long base = 0xD0000000L + System.currentTimeMillis() % 1_000_000 * 1_000; // fresh SIDs in every run
        List<CompletableFuture<Double>> answers = new ArrayList<>();
        for (int i = 0; i < WAITING_GET_CALLS; i++) {
            String body = "{\"account_sid\":\"" + account + "\",\"call_sid\":\"" + String.format("CA%032x", base + i)
                    + "\",\"wait_seconds\":30}";
            long sent = System.nanoTime();
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(service + "/v1/actions/get_call"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        if (!response.body().contains("\"status\":\"completed\",\"final\":true")) {
                            throw new IllegalStateException("get_call did not see the end: " + response.body());
                        }
                        return millis(System.nanoTime() - sent);
                    }));
            Thread.sleep(2);
        }
        List<Double> ms = new ArrayList<>();
        for (CompletableFuture<Double> answer : answers) {
            ms.add(answer.join());
        }
        done.set(true);
        sampler.join(10_000);
        long[] s = stats();
        return new String[] { "get_call, " + WAITING_GET_CALLS + " waiting at once (wait_seconds 30; each call rings "
                + RING_MS / 1000 + " s, then completes)", f(percentile(ms, 50)), f(percentile(ms, 99)),
                String.format(Locale.ROOT, "%.1f", (double) s[0] / WAITING_GET_CALLS), String.valueOf(s[1]),
                "service threads " + before[0] + " before, at most " + peak[0] + " while waiting; heap used "
                        + before[1] / (1024 * 1024) + " MB before, at most " + peak[1] / (1024 * 1024) + " MB",
                "", "", "" };
    }

    /** The service's live threads ({@code /proc}) and used heap ({@code /q/metrics}). */
    long[] threadsAndHeap(long pid) {
        try {
            Matcher threads = Pattern.compile("Threads:\\s+(\\d+)").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            long heap = 0;
            Matcher used = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.E+]+)$")
                    .matcher(get(service + "/q/metrics"));
            while (used.find()) {
                heap += (long) Double.parseDouble(used.group(1));
            }
            return new long[] { threads.find() ? Long.parseLong(threads.group(1)) : -1, heap };
        } catch (Exception e) {
            return new long[] { -1, -1 };
        }
    }

    static String kb(String status, String field) {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
        return m.find() ? (Long.parseLong(m.group(1)) / 1024) + " MB" : "?";
    }

    /**
     * Issue #25's targets for list_calls, with the p50 as a multiple of the round trip (LATENCY_MS): page of 50 within
     * 2 round trips plus 15 ms, page of 1000 within 2.5 plus 20 ms. Empty for other sizes, or without latency.
     */
    static String roundTrips(int size, double p50, int latency) {
        double target = size == 50 ? 2.0 * latency + 15 : size == 1000 ? 2.5 * latency + 20 : -1;
        if (target < 0 || latency <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, " (p50 = **%.2f round trips**; target ≤ %s ms: %s)", p50 / latency,
                f(target), p50 <= target ? "met" : "**missed**");
    }

    static String f(double ms) {
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : "%.1f", ms);
    }

    static String x(double ratio) {
        return String.format(Locale.ROOT, ratio >= 10 ? "%.0f×" : "%.1f×", ratio);
    }
}
