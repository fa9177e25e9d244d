import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The overload benchmark (issue #14): list_calls, a page of 50 with recordings, sent at a fixed rate whatever the
 * answers (open loop), against a service whose Twilio is the stand-in. First finds the capacity (the goodput of a
 * closed loop that keeps the account busy, each client waiting 1 s after a rate_limited answer), then offers 1×, 1.25× and 2× of it for a fixed time each and prints one
 * Markdown table. Only the JDK: {@code java bench/src/OverloadDriver.java <service-url> <account> <key> [seconds]}.
 * <p>
 * Latencies are measured from the moment a request was due, not sent, so a slow client cannot hide a slow service.
 * An answer is a success (no error), {@code partial}, {@code rate_limited} (a rejection: must carry {@code Retry-After})
 * or other; "admitted" is success and partial.
 */
public final class OverloadDriver {

    static final int PAGE_SIZE = 50;
    /** Concurrent list_calls of the closed loop that finds the capacity: enough to keep 32 slots busy. */
    static final int CAPACITY_CLIENTS = 24;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final URI uri;
    final String key;
    final String body;
    volatile String firstOther;

    OverloadDriver(String service, String account, String key) {
        this.uri = URI.create(service + "/v1/actions/list_calls");
        this.key = key;
        this.body = "{\"account_sid\":\"" + account + "\",\"page_size\":" + PAGE_SIZE + "}";
    }

    /** One answer: what it was and how long after it was due it came. */
    record Answer(String kind, long nanos, boolean retryAfter) {
    }

    public static void main(String[] args) throws Exception {
        OverloadDriver d = new OverloadDriver(args[0], args[1], args[2]);
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        System.err.println("warming up…");
        d.closedLoop(CAPACITY_CLIENTS, Math.max(2, seconds));
        List<Answer> closed = d.closedLoop(CAPACITY_CLIENTS, seconds);
        double capacity = count(closed, "success") / (double) seconds;
        System.err.printf(Locale.ROOT, "capacity: %.0f list_calls/s (closed loop: %d success, %d partial, %d rate_limited,"
                + " %d other)%n", capacity, count(closed, "success"), count(closed, "partial"), count(closed, "rate_limited"),
                count(closed, "other"));
        if (d.firstOther != null) {
            System.err.println("  an answer of kind other: " + d.firstOther);
        }
        if (capacity < 1) {
            System.err.println("no capacity measured");
            System.exit(1);
        }

        StringBuilder table = new StringBuilder()
                .append("| load | offered / s | success / s | partial / s | rate_limited / s | other / s "
                        + "| p50 admitted | p99 admitted | p99 rejections |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        boolean retryAfterMissing = false;
        for (double factor : new double[] { 1.0, 1.25, 2.0 }) {
            double rate = capacity * factor;
            System.err.printf(Locale.ROOT, "%.2f× capacity: %.0f/s for %d s%n", factor, rate, seconds);
            List<Answer> answers = d.openLoop(rate, seconds);
            retryAfterMissing |= answers.stream().anyMatch(a -> a.kind.equals("rate_limited") && !a.retryAfter);
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s |%n",
                    factor == 1.0 ? "capacity" : factor + "×", rate,
                    count(answers, "success") / (double) seconds, count(answers, "partial") / (double) seconds,
                    count(answers, "rate_limited") / (double) seconds, count(answers, "other") / (double) seconds,
                    millis(percentile(answers, 50, "success", "partial")),
                    millis(percentile(answers, 99, "success", "partial")),
                    millis(percentile(answers, 99, "rate_limited"))));
            Thread.sleep(1000); // let the account drain between rows
        }
        System.out.print(table);
        if (retryAfterMissing) {
            System.err.println("a rate_limited answer came without Retry-After");
            System.exit(1);
        }
    }

    /** {@code clients} list_calls at a time, each sent as soon as the one before it is answered. */
    List<Answer> closedLoop(int clients, int seconds) throws Exception {
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            next(answers, end, done);
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(seconds + 60L, TimeUnit.SECONDS);
        return new ArrayList<>(answers);
    }

    private void next(ConcurrentLinkedQueue<Answer> answers, long end, CompletableFuture<Void> done) {
        long due = System.nanoTime();
        if (due >= end) {
            done.complete(null);
            return;
        }
        send(due).whenComplete((answer, failure) -> {
            Answer known = answer != null ? answer : new Answer("other", System.nanoTime() - due, false);
            answers.add(known);
            if (known.kind.equals("rate_limited")) {
                // As a well-behaved agent does: wait as asked (Retry-After: 1) rather than ask again at once.
                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> next(answers, end, done));
            } else {
                next(answers, end, done);
            }
        });
    }

    /** List_calls due at a fixed rate for {@code seconds}, each sent when due whatever the others' answers. */
    List<Answer> openLoop(double perSecond, int seconds) throws Exception {
        int n = (int) Math.round(perSecond * seconds);
        long period = (long) (1e9 / perSecond);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        List<CompletableFuture<Answer>> answers = new ArrayList<>(n);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        AtomicInteger late = new AtomicInteger();
        try {
            for (int i = 0; i < n; i++) {
                CompletableFuture<Answer> answer = new CompletableFuture<>();
                answers.add(answer);
                long due = start + i * period;
                clock.schedule(() -> {
                    if (System.nanoTime() - due > TimeUnit.MILLISECONDS.toNanos(20)) {
                        late.incrementAndGet();
                    }
                    send(due).whenComplete((a, failure) -> answer.complete(
                            a != null ? a : new Answer("other", System.nanoTime() - due, false)));
                }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(seconds + 60L, TimeUnit.SECONDS);
        } finally {
            clock.shutdownNow();
        }
        if (late.get() > n / 100) {
            System.err.println("  note: " + late.get() + " of " + n + " requests left more than 20 ms late (loaded client)");
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    CompletableFuture<Answer> send(long due) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            long nanos = System.nanoTime() - due;
            String text = response.body();
            String kind = text.contains("\"error\":null") && text.contains("\"success\":true") ? "success"
                    : text.contains("\"error\":\"partial:") ? "partial"
                    : text.contains("\"error\":\"rate_limited:") ? "rate_limited" : "other";
            if (kind.equals("other") && firstOther == null) {
                firstOther = response.statusCode() + " " + text.substring(0, Math.min(300, text.length()));
            }
            return new Answer(kind, nanos, response.headers().firstValue("Retry-After").isPresent());
        });
    }

    static long count(List<Answer> answers, String kind) {
        return answers.stream().filter(a -> a.kind.equals(kind)).count();
    }

    /** The p-th percentile (nearest rank) of the latencies of these kinds, or -1 when there are none. */
    static long percentile(List<Answer> answers, int p, String... kinds) {
        List<String> wanted = Arrays.asList(kinds);
        long[] nanos = answers.stream().filter(a -> wanted.contains(a.kind)).mapToLong(Answer::nanos).sorted().toArray();
        if (nanos.length == 0) {
            return -1;
        }
        return nanos[Math.max(0, (int) Math.ceil(p / 100.0 * nanos.length) - 1)];
    }

    static String millis(long nanos) {
        return nanos < 0 ? "–" : TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}
