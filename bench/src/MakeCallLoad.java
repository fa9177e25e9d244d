import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.atomic.*;

/**
 * make_call load for bench/make-call-profile.sh, in one JVM so that the driver itself is warm when it measures (a
 * driver started per round spends the round compiling, and then its own core, not the service's, sets the rate):
 * java MakeCallLoad.java <service url> <stand-in url> <account> <key> <service pid> <requests> <warm-up rounds>.
 * Warms up straight to the stand-in (3 rounds of 10,000) and through the service (rounds of 20,000), runs the command
 * in the system property {@code before} (e.g. jcmd JFR.start), measures {@code requests} make_calls through the
 * service with the service's CPU per call (/proc/pid/stat), runs {@code after}, then measures as many straight to the
 * stand-in. 64 concurrent throughout.
 */
public class MakeCallLoad {
    static final int CONCURRENCY = 64;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Round(int n, double seconds, long[] latencies, int fails) {
        String line() {
            return String.format(Locale.ROOT, "%d req in %.2f s: %.0f req/s, p50 %.2f ms, p99 %.1f ms, fails %d", n, seconds,
                    n / seconds, latencies[n / 2] / 1e6, latencies[n * 99 / 100] / 1e6, fails);
        }
    }

    public static void main(String[] a) throws Exception {
        String service = a[0], standIn = a[1], account = a[2], key = a[3];
        long pid = Long.parseLong(a[4]);
        int n = Integer.parseInt(a[5]), warm = Integer.parseInt(a[6]);
        HttpRequest direct = HttpRequest.newBuilder(URI.create(standIn + "/2010-04-01/Accounts/" + account + "/Calls.json"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((account + ":t").getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B14155551234&From=%2B15017122661&Url=https%3A%2F%2Fexample.com%2Ftwiml"))
                .build();
        HttpRequest through = HttpRequest.newBuilder(URI.create(service + "/v1/actions/make_call"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"account_sid\":\"" + account + "\",\"to\":\"+14155551234\","
                        + "\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}"))
                .build();
        for (int i = 0; i < 3; i++) round(10_000, direct, false);
        for (int i = 0; i < warm; i++) round(20_000, through, true);
        hook("before");
        long cpu = cpuTicks(pid);
        Round measured = round(n, through, true);
        long ticks = cpuTicks(pid) - cpu;
        hook("after");
        Round straight = round(n, direct, false);
        System.out.println("through the service: " + measured.line());
        System.out.println("service CPU per make_call: " + ticks * 1_000_000 / 100 / n + " µs");
        System.out.println("straight to the stand-in: " + straight.line());
        System.out.printf(Locale.ROOT, "service: %.0f%% of the stand-in's rate%n", 100 * straight.seconds / measured.seconds);
    }

    static Round round(int n, HttpRequest request, boolean viaService) throws Exception {
        AtomicInteger left = new AtomicInteger(n), index = new AtomicInteger(), fails = new AtomicInteger();
        long[] latencies = new long[n];
        long start = System.nanoTime();
        Thread[] workers = new Thread[CONCURRENCY];
        for (int i = 0; i < CONCURRENCY; i++) {
            workers[i] = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() / 100 != 2 || (viaService && !r.body().contains("\"success\":true"))) {
                            if (fails.incrementAndGet() < 3) System.err.println(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        fails.incrementAndGet();
                    }
                    int k = index.getAndIncrement();
                    if (k < n) latencies[k] = System.nanoTime() - sent;
                }
            });
            workers[i].start();
        }
        for (Thread w : workers) w.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Round(n, seconds, latencies, fails.get());
    }

    /** utime + stime of the process, in clock ticks (100 per second on Linux). */
    static long cpuTicks(long pid) throws Exception {
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static void hook(String name) throws Exception {
        String command = System.getProperty(name, "");
        if (!command.isBlank() && new ProcessBuilder("bash", "-c", command).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException(name + " failed: " + command);
        }
    }
}
