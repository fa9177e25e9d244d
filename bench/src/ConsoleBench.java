import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issue #23's bench rows (bench/console.sh): the operator console's calls page over a full ledger, a live update from
 * Twilio's callback to the page, and what the console adds to start-up. Runs against the service on the Twilio
 * stand-in of {@code CallbacksBench} (compiled beside this file). Roles:
 * <ul>
 * <li>{@code seed <stand-in> <service> <account> <count> <agent keys,…>}: {@code count} make_calls of 2 s calls, 8 at
 * a time, spread over the agent keys and 500 numbers; the stand-in posts their signed callbacks (initiated, ringing,
 * in-progress, completed), and the role waits until the newest has completed;</li>
 * <li>{@code page <service> <operator key> <label> [query]}: signs in, then GETs the calls page one at a time; the
 * client's times and the server's own (Micrometer's {@code http_server_requests_seconds} for the page);</li>
 * <li>{@code live <stand-in> <service> <operator key> <account> <auth token> <agent key> <label>}: an open
 * {@code /console/stream/calls}; per update a new live call, then its signed {@code ringing} callback, timed to the
 * first {@code ledger} event after which the rows show it, and to those rows fetched again;</li>
 * <li>{@code render <service> <operator key> <count> <account> <agent key> <calls>}: {@code calls} make_calls, then
 * signs in and renders the page {@code count} times (or gets the 404s of a service without the console);</li>
 * <li>{@code table <results file>}: the Markdown table.</li>
 * </ul>
 * Only the JDK.
 */
public final class ConsoleBench {

    static final boolean QUICK = CallbacksBench.QUICK;
    static final int WARMUP = CallbacksBench.setting("PAGE_WARMUP", QUICK ? 20 : 3_000);
    static final int SAMPLES = CallbacksBench.setting("PAGE_SAMPLES", QUICK ? 20 : 2_000);
    static final int UPDATES = CallbacksBench.setting("LIVE_UPDATES", QUICK ? 3 : 100);
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern ROW = Pattern.compile("<tr data-call-sid=\"(CA[0-9a-f]{32})\"");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed" -> seed(args[1], args[2], args[3], Integer.parseInt(args[4]), args[5].split(","));
            case "page" -> page(args[1], args[2], args[3], args.length > 4 ? args[4] : "");
            case "live" -> live(args[1], args[2], args[3], args[4], args[5], args[6], args[7]);
            case "render" -> render(args[1], args[2], Integer.parseInt(args[3]), args[4], args[5], Integer.parseInt(args[6]));
            case "table" -> table(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.exit(0); // the SSE reader's thread
    }

    // ----------------------------------------------------------------------------------------------------------
    // Seeding the ledger
    // ----------------------------------------------------------------------------------------------------------

    static void seed(String standin, String service, String account, int count, String[] keys) throws Exception {
        CallbacksBench.length(standin, 2);
        AtomicInteger next = new AtomicInteger();
        List<Exception> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        // Most calls from the first key, fewer from the others, as busy and quiet agents would.
                        String key = keys[Math.min(keys.length - 1, i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2)];
                        placeCall(service, account, key, number(i % 500));
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
        System.err.printf(Locale.ROOT, "%d calls placed in %.1f s; waiting for their callbacks…%n", count,
                (System.nanoTime() - start) / 1e9);
        Session session = signIn(service, System.getenv("OPERATOR_KEY"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!allCompleted(session.get("/console/fragments/calls").body())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the newest seeded calls did not complete within 60 s");
            }
            Thread.sleep(200);
        }
    }

    /** Every row of the first page has its {@code completed} callback: the seeding's callbacks are over. */
    static boolean allCompleted(String rows) {
        int count = count(ROW.matcher(rows));
        return count > 0 && count == count(Pattern.compile("data-status=\"completed\"").matcher(rows));
    }

    static String number(int i) {
        return String.format(Locale.ROOT, "+1415555%04d", 1000 + i);
    }

    static String placeCall(String service, String account, String key, String to) throws Exception {
        String body = "{\"to\":\"" + to + "\",\"from_\":\"+15017122661\",\"twiml\":\"<Response><Say>Your appointment is "
                + "tomorrow at nine.</Say></Response>\"}";
        HttpResponse<String> response = CallbacksBench.HTTP.send(CallbacksBench.authorized(service + "/v1/accounts/"
                + account + "/calls", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher sid = CallbacksBench.CALL_SID.matcher(response.body());
        if (response.statusCode() != 201 || !sid.find()) {
            throw new IllegalStateException("make_call answered " + response.statusCode() + " " + response.body());
        }
        return sid.group(1);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Signing in
    // ----------------------------------------------------------------------------------------------------------

    /** A signed-in operator: the session cookie on every request. */
    record Session(String service, String cookie) {
        HttpResponse<String> get(String path) throws Exception {
            return CallbacksBench.HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(service + path)).header("Cookie", cookie)
                    .timeout(Duration.ofSeconds(30));
        }
    }

    /** The sign-in form's CSRF token and nonce cookie, then the form posted with the key: the session cookie. */
    static Session signIn(String service, String key) throws Exception {
        HttpResponse<String> form = CallbacksBench.HTTP.send(HttpRequest.newBuilder(URI.create(service
                + "/console/sign-in")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(form.body());
        if (form.statusCode() != 200 || !csrf.find()) {
            throw new IllegalStateException("GET /console/sign-in answered " + form.statusCode());
        }
        String body = "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = CallbacksBench.HTTP.send(HttpRequest.newBuilder(URI.create(service
                + "/console/sign-in")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie(form, "vg_console_pre")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 303) {
            throw new IllegalStateException("POST /console/sign-in answered " + signedIn.statusCode());
        }
        return new Session(service, cookie(signedIn, "vg_console"));
    }

    static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no cookie " + name));
    }

    // ----------------------------------------------------------------------------------------------------------
    // Row 1: the calls page
    // ----------------------------------------------------------------------------------------------------------

    static void page(String service, String operatorKey, String label, String query) throws Exception {
        Session session = signIn(service, operatorKey);
        String path = "/console/calls" + (query.isEmpty() ? "" : "?" + query);
        HttpResponse<String> first = session.get(path);
        int rows = count(ROW.matcher(first.body()));
        if (first.statusCode() != 200 || (query.isEmpty() && rows != 50)) {
            throw new IllegalStateException("GET " + path + " answered " + first.statusCode() + " with " + rows + " rows");
        }
        System.err.println(label + ": " + WARMUP + " warm-up GETs of " + path + "…");
        time(session, path, WARMUP);
        double[] before = serverTimes(service);
        List<Double> times = time(session, path, SAMPLES);
        double[] after = serverTimes(service);
        double serverMean = (after[1] - before[1]) / (after[0] - before[0]) * 1e3;
        System.out.printf(Locale.ROOT, "%s p50=%.2f p90=%.2f p99=%.2f max=%.2f server_mean=%.2f rows=%d bytes=%d "
                + "samples=%d warmup=%d%n", label, CallbacksBench.percentile(times, 50), CallbacksBench.percentile(times, 90),
                CallbacksBench.percentile(times, 99), CallbacksBench.percentile(times, 100), serverMean, rows,
                first.body().getBytes(StandardCharsets.UTF_8).length, SAMPLES, WARMUP);
    }

    static List<Double> time(Session session, String path, int count) throws Exception {
        List<Double> times = new ArrayList<>(count);
        HttpRequest request = session.request(path).GET().build();
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            HttpResponse<String> page = CallbacksBench.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            times.add((System.nanoTime() - t) / 1e6);
            if (page.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + page.statusCode());
            }
        }
        return times;
    }

    /** The page's request count and seconds, by the server's own Micrometer timer. */
    static double[] serverTimes(String service) throws Exception {
        String metrics = CallbacksBench.HTTP.send(HttpRequest.newBuilder(URI.create(service + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] countAndSum = new double[2];
        for (String line : metrics.split("\n")) {
            if (line.startsWith("http_server_requests_seconds_") && line.contains("uri=\"/console/calls\"")
                    && line.contains("method=\"GET\"")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.startsWith("http_server_requests_seconds_count")) {
                    countAndSum[0] += value;
                } else if (line.startsWith("http_server_requests_seconds_sum")) {
                    countAndSum[1] += value;
                }
            }
        }
        return countAndSum;
    }

    static int count(Matcher matcher) {
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Row 2: a live update, from the callback to the page
    // ----------------------------------------------------------------------------------------------------------

    static void live(String standin, String service, String operatorKey, String account, String authToken,
            String agentKey, String label) throws Exception {
        // The stand-in's own callbacks of these calls would come after 2% of their length: far beyond the run.
        CallbacksBench.length(standin, 100_000);
        Session session = signIn(service, operatorKey);
        BlockingQueue<Long> events = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = CallbacksBench.HTTP.send(session.request("/console/stream/calls")
                .header("Accept", "text/event-stream").timeout(Duration.ofHours(1)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("the stream answered " + stream.statusCode());
        }
        Thread reader = new Thread(() -> stream.body().forEach(line -> {
            if (line.startsWith("event:") && line.substring(6).trim().equals("ledger")) {
                events.add(System.nanoTime());
            }
        }));
        reader.setDaemon(true);
        reader.start();
        String callbackUrl = service + "/twilio/callbacks/status";
        List<Double> toEvent = new ArrayList<>();
        List<Double> toRows = new ArrayList<>();
        List<Double> toAnswer = new ArrayList<>();
        int stray = 0;
        for (int i = 0; i < UPDATES + 3; i++) {
            String sid = placeCall(service, account, agentKey, number(i % 500));
            // The new call's own event, then a random pause: the stream's 200 ms ticks meet the callback at any phase.
            if (events.poll(5, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no ledger event for a new call within 5 s");
            }
            Thread.sleep(250 + ThreadLocalRandom.current().nextInt(250));
            events.clear();
            long sent = System.nanoTime();
            HttpResponse<Void> answer = CallbacksBench.HTTP.send(callback(callbackUrl, authToken, account, sid),
                    HttpResponse.BodyHandlers.discarding());
            long answered = System.nanoTime();
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("the signed callback answered " + answer.statusCode());
            }
            while (true) {
                Long event = events.poll(5, TimeUnit.SECONDS);
                if (event == null) {
                    throw new IllegalStateException("no ledger event showing the callback within 5 s");
                }
                String rows = session.get("/console/fragments/calls").body();
                long fetched = System.nanoTime();
                if (rows.contains("data-call-sid=\"" + sid + "\"") && rowStatus(rows, sid).equals("ringing")) {
                    if (i >= 3) { // the first few warm the path
                        toEvent.add((event - sent) / 1e6);
                        toRows.add((fetched - sent) / 1e6);
                        toAnswer.add((answered - sent) / 1e6);
                    }
                    break;
                }
                stray++; // an event before the callback's change: the page would fetch its rows again and wait on
            }
        }
        System.out.printf(Locale.ROOT, "%s updates=%d event_p50=%.1f event_p90=%.1f event_max=%.1f rows_p50=%.1f "
                + "rows_p90=%.1f rows_max=%.1f answer_p50=%.1f stray=%d%n", label, toEvent.size(),
                CallbacksBench.percentile(toEvent, 50), CallbacksBench.percentile(toEvent, 90),
                CallbacksBench.percentile(toEvent, 100), CallbacksBench.percentile(toRows, 50),
                CallbacksBench.percentile(toRows, 90), CallbacksBench.percentile(toRows, 100),
                CallbacksBench.percentile(toAnswer, 50), stray);
    }

    static String rowStatus(String rows, String sid) {
        int row = rows.indexOf("data-call-sid=\"" + sid + "\"");
        Matcher status = Pattern.compile("data-status=\"([^\"]*)\"").matcher(rows);
        return status.find(row) ? status.group(1) : "";
    }

    /** Twilio's {@code ringing} call-progress callback (TWILIO.md section 9), signed for the exact URL. */
    static HttpRequest callback(String url, String authToken, String account, String sid) throws Exception {
        Map<String, String> fields = new TreeMap<>();
        fields.put("AccountSid", account);
        fields.put("ApiVersion", "2010-04-01");
        fields.put("CallSid", sid);
        fields.put("CallStatus", "ringing");
        fields.put("CallbackSource", "call-progress-events");
        fields.put("Direction", "outbound-api");
        fields.put("From", "+15017122661");
        fields.put("To", "+14155551000");
        fields.put("SequenceNumber", "1");
        fields.put("Timestamp", CallbacksBench.RFC2822.format(Instant.now()));
        StringBuilder signed = new StringBuilder(url);
        StringBuilder form = new StringBuilder();
        fields.forEach((name, value) -> {
            signed.append(name).append(value);
            form.append(form.isEmpty() ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .header("I-Twilio-Idempotency-Token", sid + "-1").POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
    }

    // ----------------------------------------------------------------------------------------------------------
    // Row 3: rendering after start-up
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Some traffic first (make_calls, the same for every variant: the heap it touches is in every busy service's RSS),
     * then the calls page rendered; a service without the console answers 404 to the same requests.
     */
    static void render(String service, String operatorKey, int count, String account, String agentKey, int calls)
            throws Exception {
        for (int i = 0; i < calls; i++) {
            placeCall(service, account, agentKey, number(i % 500));
        }
        HttpResponse<String> form = CallbacksBench.HTTP.send(HttpRequest.newBuilder(URI.create(service
                + "/console/sign-in")).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (form.statusCode() == 404) {
            for (int i = 0; i < count; i++) {
                CallbacksBench.HTTP.send(HttpRequest.newBuilder(URI.create(service + "/console/calls")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            return;
        }
        Session session = signIn(service, operatorKey);
        time(session, "/console/calls", count);
    }

    // ----------------------------------------------------------------------------------------------------------
    // The table
    // ----------------------------------------------------------------------------------------------------------

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
            System.out.println("BENCH_QUICK: a small ledger and a few cold iterations; these figures are not measurements.");
        }
        String entries = System.getenv().getOrDefault("SEED_CALLS", "?");
        System.out.println("| operator console, loopback | measured | target |");
        System.out.println("|---|---|---|");
        for (String store : List.of("memory", "redis")) {
            String where = store.equals("memory") ? "ledger in memory" : "ledger in Redis (`REDIS_URL`, loopback)";
            Map<String, String> page = rows.get("page-" + store);
            if (page == null) { // STARTUP_ONLY, or no redis-server
                continue;
            }
            System.out.printf(Locale.ROOT, "| `GET /console/calls`, first page (%s rows, %s KB), %s entries, %s, "
                    + "signed in, one at a time: client-observed p50 / p90 / p99 ms (%s GETs after %s warm-up; the server's "
                    + "own mean, Micrometer: %s ms) | **%s** / %s / %s | p50 < 30 ms |%n", page.get("rows"),
                    kilobytes(page.get("bytes")), entries, where, page.get("samples"), page.get("warmup"),
                    page.get("server_mean"), page.get("p50"), page.get("p90"), page.get("p99"));
            Map<String, String> scan = rows.get("scan-" + store);
            System.out.printf(Locale.ROOT, "| … filtered on a status no entry has (`?status=busy`: %s, no row shown; "
                    + "server mean %s ms) | %s / %s / %s | |%n", store.equals("memory") ? "every entry read"
                    : "1,000 entries read, the page's budget", scan.get("server_mean"), scan.get("p50"), scan.get("p90"),
                    scan.get("p99"));
        }
        for (String store : List.of("memory", "redis")) {
            String where = store.equals("memory") ? "ledger in memory" : "ledger in Redis";
            Map<String, String> live = rows.get("live-" + store);
            if (live == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s: a signed `ringing` callback's send → the `ledger` event on an open "
                    + "`/console/stream/calls`, p50 / p90 / max ms over %s updates (callback answered after %s ms at p50; "
                    + "%s stray events) | **%s** / %s / %s | < 200 ms |%n", where, live.get("updates"),
                    live.get("answer_p50"), live.get("stray"), live.get("event_p50"), live.get("event_p90"),
                    live.get("event_max"));
            System.out.printf(Locale.ROOT, "| … → the page's rows fetched again (`/console/fragments/calls`, as htmx does "
                    + "on the event) and showing it | %s / %s / %s | |%n", live.get("rows_p50"), live.get("rows_p90"),
                    live.get("rows_max"));
        }
        for (String variant : List.of("base", "off")) {
            Map<String, String> without = rows.get("startup-" + variant);
            Map<String, String> with = rows.get("startup-on");
            if (without == null || with == null) {
                continue;
            }
            String name = variant.equals("off") ? "the same jar with `CONSOLE_ENABLED=false`"
                    : System.getenv().getOrDefault("BASE_NAME", "the base jar");
            System.out.printf(Locale.ROOT, "| start-up, console on vs %s: command → `/q/health/ready`, median of %s "
                    + "alternating starts (runs: %s; %s) | %s → %s ms (**%s**) | < +5%% |%n", name, with.get("rounds"),
                    without.get("ready_runs"), with.get("ready_runs"), without.get("ready"), with.get("ready"),
                    change(without.get("ready"), with.get("ready")));
            System.out.printf(Locale.ROOT, "| … Quarkus's own \"started in\", median ms | %s → %s ms (%s) | |%n",
                    without.get("started"), with.get("started"), change(without.get("started"), with.get("started")));
            System.out.printf(Locale.ROOT, "| … CPU used by then (all threads), median ms | %s → %s ms (%s) | |%n",
                    without.get("cpu"), with.get("cpu"), change(without.get("cpu"), with.get("cpu")));
            System.out.printf(Locale.ROOT, "| … RSS 1 s after ready, median MiB | %s → %s MiB (**%s**) | < +5%% |%n",
                    without.get("rss"), with.get("rss"), change(without.get("rss"), with.get("rss")));
            System.out.printf(Locale.ROOT, "| … RSS after %s make_calls and %s renders of the calls page (404s without "
                    + "the console), median MiB | %s → %s MiB (**%s**) | < +5%% |%n", with.get("calls"), with.get("renders"),
                    without.get("rss_after"),
                    with.get("rss_after"), change(without.get("rss_after"), with.get("rss_after")));
        }
    }

    static String kilobytes(String bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f", Integer.parseInt(bytes) / 1024.0);
    }

    static String change(String before, String after) {
        double b = Double.parseDouble(before);
        double a = Double.parseDouble(after);
        return String.format(Locale.ROOT, "%+.1f%%", (a - b) / b * 100);
    }
}
