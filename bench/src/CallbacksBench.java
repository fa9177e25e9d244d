import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Issue #21's bench rows (bench/callbacks.sh): how many times get_call fetches a call it follows, how soon it answers
 * once Twilio's {@code completed} callback is sent, and what the call ledger adds to make_call. One file, four roles:
 * <ul>
 * <li>{@code standin <port> <call seconds> <auth token>}: a Twilio stand-in answering at once. A created call is
 * queued, rings, is answered and ends {@code call seconds} after its creation (then {@code completed}, with duration
 * and price); fetches are counted per call. When the create carried {@code StatusCallback} it posts Twilio's signed
 * call-progress callbacks (the events asked for; only {@code completed} when none) and records when it sent the
 * {@code completed} one. {@code GET /__call/<sid>} gives a call's counts, {@code /__stats} the totals.</li>
 * <li>{@code follow <stand-in> <service> <account> <key> <label> <calls>}: places the calls at once through the
 * service and follows each with a get_call that waits up to 60 s, started right after placing it.</li>
 * <li>{@code makecall <base service> <new service> <account> <key> <label>}: make_call one at a time, runs alternating
 * between the two services, the median of each side's p50s.</li>
 * <li>{@code table <results file>}: the Markdown table of what the others printed.</li>
 * </ul>
 * Times across processes are wall-clock microseconds of the same machine. Only the JDK.
 */
public final class CallbacksBench {

    static final boolean QUICK = "1".equals(System.getenv("BENCH_QUICK"));
    static final int WARMUP = setting("MAKECALL_WARMUP", QUICK ? 100 : 10_000);
    static final int SAMPLES = setting("MAKECALL_SAMPLES", QUICK ? 100 : 2_000);
    static final int ROUNDS = setting("MAKECALL_ROUNDS", QUICK ? 1 : 3);
    static final String BODY = "{\"to\":\"+14155551234\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}";
    static final DateTimeFormatter RFC2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "standin" -> new StandIn(Long.parseLong(args[2]) * 1_000_000, args[3]).start(Integer.parseInt(args[1]));
            case "follow" -> follow(args[1], args[2], args[3], args[4], args[5], Integer.parseInt(args[6]));
            case "makecall" -> makeCalls(args[1], args[2], args[3], args[4], args[5]);
            case "table" -> table(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    static int setting(String name, int otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.trim());
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    // ----------------------------------------------------------------------------------------------------------
    // The Twilio stand-in
    // ----------------------------------------------------------------------------------------------------------

    /** A created call; times in epoch microseconds. */
    record Call(String sid, String account, String to, String from, long created, long length, String callback,
            List<String> events, AtomicInteger fetches, AtomicLong lastFetch, AtomicInteger sequence,
            AtomicLong completedSent, AtomicLong completedAnswered, AtomicInteger completedAnswer) {
    }

    static final class StandIn {
        static final Pattern CREATE = Pattern.compile("^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Calls\\.json$");
        static final Pattern FETCH = Pattern.compile("^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Calls/(CA[0-9a-f]{32})\\.json$");

        final AtomicLong callMicros = new AtomicLong();
        final String authToken;
        final Map<String, Call> calls = new ConcurrentHashMap<>();
        final AtomicLong created = new AtomicLong();
        final AtomicLong fetches = new AtomicLong();
        final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        StandIn(long callMicros, String authToken) {
            this.callMicros.set(callMicros);
            this.authToken = authToken;
        }

        void start(int port) throws IOException {
            // The JDK server leaves Nagle on by default: headers and body in two writes would wait for a delayed ACK.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", exchange -> {
                try (exchange) {
                    handle(exchange);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            });
            server.start();
            System.err.println("stand-in on port " + port);
        }

        void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (path.equals("/__stats")) {
                send(exchange, 200, "calls=" + created.get() + " fetches=" + fetches.get());
                return;
            }
            if (path.startsWith("/__call/")) {
                Call call = calls.get(path.substring("/__call/".length()));
                send(exchange, call == null ? 404 : 200, call == null ? "" : call.fetches().get() + " " + end(call) + " "
                        + call.completedSent().get() + " " + call.completedAnswer().get() + " "
                        + call.completedAnswered().get() + " " + call.lastFetch().get());
                return;
            }
            if (path.equals("/__length") && method.equals("POST")) {
                // The length of the calls created from now on, in seconds: the driver's warm-up uses short ones.
                callMicros.set(Long.parseLong(new String(body, StandardCharsets.UTF_8).trim()) * 1_000_000);
                send(exchange, 204, "");
                return;
            }
            Matcher create = CREATE.matcher(path);
            if (method.equals("POST") && create.matches()) {
                Map<String, List<String>> form = form(new String(body, StandardCharsets.UTF_8));
                String sid = String.format("CA%032x", created.incrementAndGet());
                Call call = new Call(sid, create.group(1), first(form, "To"), first(form, "From"), micros(),
                        callMicros.get(), first(form, "StatusCallback"), form.getOrDefault("StatusCallbackEvent", List.of()),
                        new AtomicInteger(), new AtomicLong(), new AtomicInteger(), new AtomicLong(), new AtomicLong(),
                        new AtomicInteger());
                calls.put(sid, call);
                if (call.callback() != null) {
                    schedule(call);
                }
                send(exchange, 201, json(call, "queued"));
                return;
            }
            Matcher fetch = FETCH.matcher(path);
            Call call = fetch.matches() ? calls.get(fetch.group(2)) : null;
            if (method.equals("GET") && call != null && call.account().equals(fetch.group(1))) {
                fetches.incrementAndGet();
                call.fetches().incrementAndGet();
                call.lastFetch().set(micros());
                send(exchange, 200, json(call, status(call, micros())));
                return;
            }
            send(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource " + path + " was not found\","
                    + "\"more_info\":\"https://www.twilio.com/docs/errors/20404\",\"status\":404}");
        }

        // Queued, then ringing from 5% of the call's length, answered from 15%, ended at 100%.
        long ringing(Call call) {
            return call.created() + call.length() / 20;
        }

        long answered(Call call) {
            return call.created() + call.length() * 15 / 100;
        }

        long end(Call call) {
            return call.created() + call.length();
        }

        String status(Call call, long now) {
            return now >= end(call) ? "completed" : now >= answered(call) ? "in-progress"
                    : now >= ringing(call) ? "ringing" : "queued";
        }

        /** The events asked for, at the times of the status changes; without StatusCallbackEvent, only completed. */
        void schedule(Call call) {
            Map<String, Long> at = new LinkedHashMap<>();
            at.put("initiated", call.created() + call.length() / 50);
            at.put("ringing", ringing(call));
            at.put("answered", answered(call));
            at.put("completed", end(call));
            at.forEach((event, when) -> {
                if (call.events().contains(event) || event.equals("completed")) {
                    timer.schedule(() -> callback(call, event.equals("answered") ? "in-progress" : event),
                            Math.max(0, when - micros()), TimeUnit.MICROSECONDS);
                }
            });
        }

        /** A call-progress callback as Twilio posts it (TWILIO.md section 9), signed with the account's Auth Token. */
        void callback(Call call, String status) {
            Map<String, String> fields = new TreeMap<>();
            fields.put("AccountSid", call.account());
            fields.put("ApiVersion", "2010-04-01");
            fields.put("CallSid", call.sid());
            fields.put("CallStatus", status);
            fields.put("CallbackSource", "call-progress-events");
            fields.put("Direction", "outbound-api");
            fields.put("From", call.from());
            fields.put("To", call.to());
            fields.put("SequenceNumber", String.valueOf(call.sequence().getAndIncrement()));
            fields.put("Timestamp", RFC2822.format(Instant.now()));
            if (status.equals("completed")) {
                long seconds = call.length() / 1_000_000;
                fields.put("CallDuration", String.valueOf(seconds));
                fields.put("Duration", String.valueOf((seconds + 59) / 60));
                fields.put("SipResponseCode", "200");
            }
            StringBuilder signed = new StringBuilder(call.callback());
            StringBuilder form = new StringBuilder();
            fields.forEach((name, value) -> {
                signed.append(name).append(value);
                form.append(form.isEmpty() ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            });
            HttpRequest request = HttpRequest.newBuilder(URI.create(call.callback())).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", sign(signed.toString()))
                    .header("I-Twilio-Idempotency-Token", call.sid() + "-" + fields.get("SequenceNumber"))
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
            boolean completed = status.equals("completed");
            if (completed) {
                call.completedSent().set(micros());
            }
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (completed) {
                    call.completedAnswered().set(micros());
                    call.completedAnswer().set(failure == null ? response.statusCode() : -1);
                }
            });
        }

        String sign(String data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String json(Call call, String status) {
            boolean ended = status.equals("completed");
            String created = RFC2822.format(Instant.EPOCH.plusNanos(call.created() * 1_000));
            String base = "/2010-04-01/Accounts/" + call.account() + "/Calls/" + call.sid();
            return "{\"account_sid\":\"" + call.account() + "\",\"sid\":\"" + call.sid() + "\",\"parent_call_sid\":null,"
                    + "\"to\":" + quoted(call.to()) + ",\"from\":" + quoted(call.from()) + ",\"status\":\"" + status + "\","
                    + "\"direction\":\"outbound-api\",\"duration\":" + (ended ? "\"" + call.length() / 1_000_000 + "\"" : "null")
                    + ",\"price\":" + (ended ? "\"-0.01400\"" : "null") + ",\"price_unit\":\"USD\",\"answered_by\":null,"
                    + "\"api_version\":\"2010-04-01\",\"date_created\":\"" + created + "\",\"date_updated\":\"" + created
                    + "\",\"start_time\":null,\"end_time\":" + (ended ? "\"" + RFC2822.format(Instant.EPOCH.plusNanos(
                            end(call) * 1_000)) + "\"" : "null")
                    + ",\"uri\":\"" + base + ".json\",\"subresource_uris\":{\"recordings\":\"" + base + "/Recordings.json\"}}";
        }

        static String quoted(String s) {
            return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        static String first(Map<String, List<String>> form, String name) {
            List<String> values = form.get(name);
            return values == null ? null : values.get(0);
        }

        static Map<String, List<String>> form(String body) {
            Map<String, List<String>> form = new HashMap<>();
            for (String pair : body.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
            return form;
        }

        static void send(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // The drivers
    // ----------------------------------------------------------------------------------------------------------

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern CALL_SID = Pattern.compile("\"call_sid\"\\s*:\\s*\"(CA[0-9a-fA-F]{32})\"");

    /** One followed call: Twilio fetches, and times in ms from the end (the completed callback's send, if any). */
    record Followed(boolean completed, int fetches, boolean fromCallback, boolean callback2xx, double toAnswer,
            double toCallbackAnswered, double toLastFetch) {
    }

    /**
     * Warm-up rounds of 2 s calls (not counted), then {@code calls} calls of {@code CALL_SECONDS} placed at once, each
     * followed by a waiting get_call started right after placing it; prints one results line.
     */
    static void follow(String standin, String service, String account, String key, String label, int calls)
            throws Exception {
        int warmups = setting("FOLLOW_WARMUP", QUICK ? 0 : 5);
        System.err.println(label + ": " + warmups + " warm-up rounds of " + calls + " calls of 2 s…");
        length(standin, 2);
        for (int i = 0; i < warmups; i++) {
            round(standin, service, account, key, label, calls);
        }
        length(standin, setting("CALL_SECONDS", 30));
        List<Followed> all = round(standin, service, account, key, label, calls);
        List<Followed> followed = all.stream().filter(Followed::completed).toList();
        if (followed.size() != calls) {
            throw new IllegalStateException(label + ": " + followed.size() + " of " + calls + " calls followed to their end");
        }
        long fromCallback = followed.stream().filter(Followed::fromCallback).count();
        List<Double> callbackAnswered = followed.stream().filter(Followed::fromCallback).map(Followed::toCallbackAnswered).toList();
        List<Double> lastFetch = followed.stream().filter(Followed::fromCallback).map(Followed::toLastFetch).toList();
        System.out.printf(Locale.ROOT, "%s calls=%d warmups=%d fetches_mean=%.1f fetches_max=%d lag_from=%s lag_p50=%.1f "
                + "lag_p95=%.1f callbacks_2xx=%d callback_answered_p50=%s last_fetch_p50=%s%n", label, calls, warmups,
                mean(followed.stream().map(f -> (double) f.fetches()).toList()),
                followed.stream().mapToInt(Followed::fetches).max().orElse(0),
                fromCallback == calls ? "callback" : fromCallback == 0 ? "end" : "mixed",
                percentile(followed.stream().map(Followed::toAnswer).toList(), 50),
                percentile(followed.stream().map(Followed::toAnswer).toList(), 95),
                followed.stream().filter(Followed::callback2xx).count(),
                callbackAnswered.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", percentile(callbackAnswered, 50)),
                lastFetch.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", percentile(lastFetch, 50)));
    }

    static void length(String standin, long seconds) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(standin + "/__length"))
                .POST(HttpRequest.BodyPublishers.ofString(String.valueOf(seconds))).build(), HttpResponse.BodyHandlers.discarding());
    }

    static List<Followed> round(String standin, String service, String account, String key, String label, int calls)
            throws Exception {
        List<Followed> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    results.add(followOne(standin, service, account, key, label));
                } catch (Exception e) {
                    System.err.println(label + ": " + e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return results;
    }

    static Followed followOne(String standin, String service, String account, String key, String label) throws Exception {
        String sid = placeCall(service, account, key);
        HttpResponse<String> answer = HTTP.send(authorized(service + "/v1/accounts/" + account + "/calls/" + sid
                + "?wait_seconds=60&include_recordings=false", key).timeout(Duration.ofSeconds(90)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        long answered = micros();
        boolean completed = answer.statusCode() == 200 && answer.body().contains("\"status\":\"completed\"");
        if (!completed) {
            System.err.println(label + ": get_call " + sid + " answered " + answer.statusCode() + " " + answer.body());
        }
        // fetches, end, completed sent, its HTTP status (0 while unanswered), answered at, last fetch at
        long[] stats = new long[6];
        for (int tries = 0; tries < 50; tries++) {
            String[] words = HTTP.send(HttpRequest.newBuilder(URI.create(standin + "/__call/" + sid)).build(),
                    HttpResponse.BodyHandlers.ofString()).body().split(" ");
            for (int i = 0; i < stats.length; i++) {
                stats[i] = Long.parseLong(words[i]);
            }
            if (stats[2] == 0 || stats[3] != 0) {
                break;
            }
            Thread.sleep(100); // the callback's answer has not reached the stand-in yet
        }
        long from = stats[2] > 0 ? stats[2] : stats[1];
        return new Followed(completed, (int) stats[0], stats[2] > 0, stats[3] >= 200 && stats[3] < 300,
                (answered - from) / 1e3, (stats[4] - from) / 1e3, (stats[5] - from) / 1e3);
    }

    /** make_call one at a time: runs alternating between the base and the new service; prints one results line. */
    static void makeCalls(String base, String current, String account, String key, String label) throws Exception {
        System.err.println(label + ": warming up both services…");
        warmUp(base, account, key);
        warmUp(current, account, key);
        List<Double> baseP50 = new ArrayList<>();
        List<Double> newP50 = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            baseP50.add(percentile(time(base, account, key, SAMPLES), 50));
            newP50.add(percentile(time(current, account, key, SAMPLES), 50));
        }
        System.out.printf(Locale.ROOT, "%s base_p50=%.3f new_p50=%.3f base_runs=%s new_runs=%s samples=%d%n", label,
                percentile(baseP50, 50), percentile(newP50, 50), runs(baseP50), runs(newP50), SAMPLES);
    }

    /** WARMUP make_calls from 4 callers at once: the JIT needs the count, not the caller's patience. */
    static void warmUp(String service, String account, String key) throws Exception {
        AtomicInteger left = new AtomicInteger(WARMUP);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                try {
                    while (left.getAndDecrement() > 0) {
                        placeCall(service, account, key);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    static List<Double> time(String service, String account, String key, int count) throws Exception {
        List<Double> times = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            placeCall(service, account, key);
            times.add((System.nanoTime() - t) / 1e6);
        }
        return times;
    }

    static String placeCall(String service, String account, String key) throws Exception {
        HttpResponse<String> response = HTTP.send(authorized(service + "/v1/accounts/" + account + "/calls", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher sid = CALL_SID.matcher(response.body());
        if (response.statusCode() != 201 || !sid.find()) {
            throw new IllegalStateException(service + ": make_call answered " + response.statusCode() + " " + response.body());
        }
        return sid.group(1);
    }

    static HttpRequest.Builder authorized(String url, String key) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.max(0, Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1)));
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static String runs(List<Double> p50s) {
        return String.join("/", p50s.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
    }

    // ----------------------------------------------------------------------------------------------------------
    // The table
    // ----------------------------------------------------------------------------------------------------------

    static void table(Path results) throws IOException {
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
            System.out.println("BENCH_QUICK: short calls and a few cold iterations; these figures are not measurements.");
        }
        Map<String, String> before = rows.getOrDefault("before", Map.of());
        Map<String, String> after = rows.getOrDefault("after", Map.of());
        System.out.println("| stand-in answering at once | before | after | change | target |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf(Locale.ROOT, "| Twilio fetches per followed call (%s calls of %s s placed at once, each followed by "
                + "get_call with wait_seconds=60 from its start, after %s warm-up rounds of 2 s calls), mean (max) "
                + "| %s (%s) | **%s** (%s) | | ≤ 3 |%n", after.get("calls"), System.getenv().getOrDefault("CALL_SECONDS", "?"),
                after.get("warmups"), before.get("fetches_mean"), before.get("fetches_max"), after.get("fetches_mean"),
                after.get("fetches_max"));
        System.out.printf(Locale.ROOT, "| The call's end → the waiting get_call's answer, p50 / p95 ms (after: from the "
                + "signed `completed` callback's send%s; p50 %s ms to the receiver's answer, %s ms to the last fetch; %s of %s "
                + "callbacks answered 2xx) | %s / %s | **%s** / %s | | p50 ≤ 50 ms |%n",
                "callback".equals(after.get("lag_from")) ? "" : ", **but some calls got no callback**",
                after.get("callback_answered_p50"), after.get("last_fetch_p50"), after.get("callbacks_2xx"),
                after.get("calls"), before.get("lag_p50"), before.get("lag_p95"), after.get("lag_p50"), after.get("lag_p95"));
        for (String label : List.of("memory", "redis")) {
            Map<String, String> row = rows.get("makecall-" + label);
            String what = label.equals("memory") ? "in-memory ledger" : "ledger in Redis (`REDIS_URL`, loopback)";
            String target = label.equals("memory") ? "≤ +0.3 ms" : "≤ +0.5 ms";
            if (row == null) {
                System.out.printf("| make_call p50 ms, one at a time, %s | not measured | | | %s |%n", what, target);
                continue;
            }
            double base = Double.parseDouble(row.get("base_p50"));
            double current = Double.parseDouble(row.get("new_p50"));
            System.out.printf(Locale.ROOT, "| make_call p50 ms, one at a time, %s; before: %s. Median of %d runs of %s, "
                    + "alternating, after %d warm-up calls (runs: %s; %s) | %.2f | %.2f | **%+.2f** | %s |%n", what,
                    System.getenv().getOrDefault("BASE_NAME", "the base jar"), ROUNDS, row.get("samples"), WARMUP,
                    row.get("base_runs"), row.get("new_runs"), base, current, current - base, target);
        }
    }
}
