import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's RSS under a burst of list_calls (issue #25): {@value #CONCURRENCY} list_calls of a page of
 * {@value #PAGE} at once, {@link #ROUNDS} times, at the stand-in's latency, sampling VmRSS of the service every 20 ms.
 * Prints one Markdown row in the columns of BenchDriver's table (bench/run.sh appends it there).
 * <p>
 * Args: stand-in URL, account, key, latency ms, then one or more pairs of service URL and pid. With several
 * services (bench/memory.sh compares JVM flags side by side), each is warmed up, then the rounds alternate between
 * them, so that the machine's load hits all alike; one row per service.
 */
public final class MemoryBench {

    static final boolean QUICK = "1".equals(System.getenv("BENCH_QUICK"));
    static final int CONCURRENCY = 256;
    static final int PAGE = 50;
    static final int ROUNDS = QUICK ? 2 : Integer.getInteger("rounds", 10);
    static final int WARMUP = QUICK ? 20 : Integer.getInteger("warmup", 400);
    static final Pattern VM = Pattern.compile("(VmRSS|VmHWM):\\s+(\\d+) kB");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final String standIn;
    final String account;
    final String key;

    MemoryBench(String standIn, String account, String key) {
        this.standIn = standIn;
        this.account = account;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        MemoryBench bench = new MemoryBench(args[0], args[1], args[2]);
        int latency = Integer.parseInt(args[3]);
        List<Service> services = new ArrayList<>();
        for (int i = 4; i + 1 < args.length; i += 2) {
            services.add(new Service(args[i], Long.parseLong(args[i + 1])));
        }
        bench.reset(0);
        for (Service s : services) {
            s.before = rss(s.pid)[0];
            bench.warmUp(s);
        }
        bench.reset(latency);
        for (int round = 0; round < ROUNDS; round++) {
            for (Service s : services) {
                bench.burst(s);
            }
        }
        for (Service s : services) {
            long[] end = rss(s.pid);
            Collections.sort(s.ms);
            System.out.println("| service RSS, " + CONCURRENCY + " concurrent list_calls of page " + PAGE + " ("
                    + ROUNDS + " bursts): before, highest sampled (end; peak ever)" + (services.size() > 1 ? " [" + s.url + "]" : "")
                    + " | " + f(pct(s.ms, 50)) + " | " + f(pct(s.ms, 99)) + " |  |  | " + mb(s.before) + " → **"
                    + mb(s.highest.get()) + "** (" + mb(end[0]) + "; " + mb(end[1]) + ")" + " |  |  | "
                    + (s.refused.get() == 0 ? "all answered" : s.refused.get() + " refused") + " |");
        }
    }

    static final class Service {
        final String url;
        final long pid;
        final List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong highest = new AtomicLong();
        /** Answers other than success: the service's own concurrency bound refuses what would wait too long. */
        final AtomicLong refused = new AtomicLong();
        long before;

        Service(String url, long pid) {
            this.url = url;
            this.pid = pid;
        }
    }

    /** The JIT's and the pools' warm-up: list_calls of every page size, a few at a time, at 0 ms latency. */
    void warmUp(Service s) {
        for (int size : new int[] { 10, 50, 200 }) {
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            for (int i = 0; i < WARMUP; i++) {
                batch.add(listCalls(s, size).thenAccept(ms -> { }));
                if (batch.size() == 8) {
                    batch.forEach(CompletableFuture::join);
                    batch.clear();
                }
            }
            batch.forEach(CompletableFuture::join);
        }
    }

    /** {@value #CONCURRENCY} list_calls at once, sampling the service's RSS until the last answer. */
    void burst(Service s) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                s.highest.accumulateAndGet(rss(s.pid)[0], Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        List<CompletableFuture<Double>> answers = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            answers.add(listCalls(s, PAGE));
        }
        for (CompletableFuture<Double> answer : answers) {
            s.ms.add(answer.join());
        }
        done.set(true);
        sampler.join(5_000);
        s.highest.accumulateAndGet(rss(s.pid)[0], Math::max);
    }

    CompletableFuture<Double> listCalls(Service s, int size) {
        long sent = System.nanoTime();
        String body = "{\"account_sid\":\"" + account + "\",\"page_size\":" + size + "}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(s.url + "/v1/actions/list_calls"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                    if (!response.body().contains("\"success\":true")) {
                        if (s.refused.getAndIncrement() == 0) {
                            System.err.println("list_calls refused (counted): "
                                    + response.body().substring(0, Math.min(300, response.body().length())));
                        }
                    }
                    return (System.nanoTime() - sent) / 1e6;
                });
    }

    void reset(int latency) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(standIn + "/__reset?latency=" + latency))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** VmRSS and VmHWM of a process, in kB. */
    static long[] rss(long pid) {
        try {
            Matcher m = VM.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            long[] kb = new long[2];
            while (m.find()) {
                kb[m.group(1).equals("VmRSS") ? 0 : 1] = Long.parseLong(m.group(2));
            }
            return kb;
        } catch (Exception e) {
            return new long[] { -1, -1 };
        }
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String mb(long kb) {
        return kb / 1024 + " MB";
    }

    static String f(double ms) {
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : "%.1f", ms);
    }
}
