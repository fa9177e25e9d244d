import java.net.URI;
import java.net.http.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/** make_call load for bench/make-call-profile.sh: java MakeCallLoad.java <base url> <account> <key> <requests> <concurrency> [direct]; prints calls/s, p50, p99. */
public class MakeCallLoad {
    public static void main(String[] a) throws Exception {
        String base = a[0], account = a[1], key = a[2];
        int n = Integer.parseInt(a[3]), conc = Integer.parseInt(a[4]);
        boolean direct = a.length > 5;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"account_sid\":\"" + account + "\",\"to\":\"+14155551234\",\"from_\":\"+15017122661\",\"url\":\"https://example.com/twiml\"}";
        HttpRequest req = direct
            ? HttpRequest.newBuilder(URI.create(base + "/2010-04-01/Accounts/" + account + "/Calls.json"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((account + ":t").getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B14155551234&From=%2B15017122661&Url=https%3A%2F%2Fexample.com%2Ftwiml")).build()
            : HttpRequest.newBuilder(URI.create(base + "/v1/actions/make_call"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        AtomicInteger left = new AtomicInteger(n), fails = new AtomicInteger();
        long[] lat = new long[n];
        AtomicInteger idx = new AtomicInteger();
        long t0 = System.nanoTime();
        Thread[] ts = new Thread[conc];
        for (int i = 0; i < conc; i++) {
            ts[i] = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() / 100 != 2 || (!direct && !r.body().contains("\"success\":true"))) {
                            if (fails.incrementAndGet() < 3) System.err.println(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) { fails.incrementAndGet(); }
                    int k = idx.getAndIncrement();
                    if (k < n) lat[k] = System.nanoTime() - s;
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) t.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        java.util.Arrays.sort(lat);
        System.out.printf("%d req in %.2f s: %.0f req/s, p50 %.2f ms, p99 %.1f ms, max %.0f ms, fails %d%n", n, secs, n / secs, lat[n / 2] / 1e6, lat[n * 99 / 100] / 1e6, lat[n - 1] / 1e6, fails.get());
    }
}
