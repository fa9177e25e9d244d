import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Twilio stand-in for the benchmark: Twilio-shaped JSON for the Voice endpoints Voicegate uses, each answer
 * delayed by a configurable latency. Only the JDK: run it with {@code java bench/src/TwilioStandIn.java <port> <latency-ms>}.
 * <p>
 * Non-blocking: a few NIO event loops (one per core); a delayed answer is a timer entry, not a parked thread, so a
 * thousand requests in flight cost a thousand small objects. HTTP/1.1 with keep-alive, one request at a time per
 * connection (no client here pipelines). {@code GET /__stats} and {@code POST /__reset[?latency=ms]} are answered
 * at once and not counted.
 * <p>
 * Every recording's media ({@code .wav}, {@code .mp3}) is the same {@value #MEDIA_BYTES} bytes of seeded random data.
 * <p>
 * The data are deterministic: {@value #CALLS} calls, 30 s apart, newest first; every 20th is a child leg of the
 * call before it; call i has (7i + 3) mod 4 recordings (0–3, created 10–24 s after the call, one in 50 calls two
 * hours later); every third slot also has a recording of a call that is in no page ("other" calls), so a time
 * window always holds more recordings than calls. Child legs (i mod 20 = 7) have no recordings, since (7i + 3) mod 4
 * is 0 for them: so whose SID a child leg's recording would carry (Twilio's is always the parent leg's) never arises,
 * and the per-call list of any call equals the account list filtered on that {@code call_sid}.
 * <p>
 * {@code GET /Calls/{CallSid}.json} answers a call of the data set as it is (completed); any other call SID is a
 * call that rings from its first fetch for {@code ring} ms (set with {@code POST /__reset?ring=ms}, default 10 s),
 * then is completed: what a get_call that waits for the end of a call needs.
 */
public final class TwilioStandIn {

    static final int CALLS = 6000;
    static final Instant NEWEST = Instant.parse("2024-05-03T04:00:00Z");
    static final DateTimeFormatter RFC2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    static final Pattern ACCOUNT_PATH = Pattern.compile("^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})(/.*)$");

    // --- data -----------------------------------------------------------------------------------------------------

    record Recording(String sid, String callSid, Instant created, String json) {
    }

    static String callSid(int i) {
        return String.format("CA%032x", i + 1);
    }

    static final class Data {
        final String account;
        final String[] callJson = new String[CALLS];
        final List<Recording> recordings = new ArrayList<>(); // newest first
        final Map<String, List<Recording>> byCall = new HashMap<>();
        final Map<String, Recording> bySid = new HashMap<>();
        /** When each call outside the data set was first fetched: it rings from then on. */
        final Map<String, Instant> firstFetched = new java.util.concurrent.ConcurrentHashMap<>();

        Data(String account) {
            this.account = account;
            int reSeq = 0;
            for (int i = 0; i < CALLS; i++) {
                Instant created = NEWEST.minusSeconds(30L * i);
                String parent = i % 20 == 7 && i + 1 < CALLS ? callSid(i + 1) : null;
                callJson[i] = callJson(callSid(i), parent, created);
                int count = (7 * i + 3) % 4;
                for (int j = 0; j < count; j++) {
                    long after = i % 50 == 13 && j == 0 ? 7200 : 10 + 7L * j;
                    add(new Recording(String.format("RE%032x", ++reSeq), callSid(i), created.plusSeconds(after), null));
                }
                if (i % 3 == 0) {
                    add(new Recording(String.format("RE%032x", ++reSeq), String.format("CA%032x", 0xF0000000L + i),
                            created.plusSeconds(5), null));
                }
            }
            // Newest first, as Twilio lists them; ties by SID, the same order in every list.
            recordings.sort((a, b) -> a.created.equals(b.created) ? b.sid.compareTo(a.sid) : b.created.compareTo(a.created));
            List<Recording> withJson = new ArrayList<>(recordings.size());
            for (Recording r : recordings) {
                Recording full = new Recording(r.sid, r.callSid, r.created, recordingJson(r));
                withJson.add(full);
                bySid.put(full.sid, full);
                byCall.computeIfAbsent(full.callSid, k -> new ArrayList<>()).add(full);
            }
            recordings.clear();
            recordings.addAll(withJson);
        }

        private void add(Recording r) {
            recordings.add(r);
        }

        String callJson(String sid, String parent, Instant created) {
            String date = RFC2822.format(created);
            String base = "/2010-04-01/Accounts/" + account + "/Calls/" + sid;
            return "{\"account_sid\":\"" + account + "\",\"sid\":\"" + sid + "\",\"parent_call_sid\":"
                    + (parent == null ? "null" : "\"" + parent + "\"")
                    + ",\"to\":\"+14155551212\",\"to_formatted\":\"(415) 555-1212\",\"from\":\"+15017122661\","
                    + "\"from_formatted\":\"(501) 712-2661\",\"status\":\"completed\",\"direction\":\""
                    + (parent == null ? "outbound-api" : "outbound-dial") + "\",\"duration\":\"15\",\"price\":\"-0.03000\","
                    + "\"price_unit\":\"USD\",\"answered_by\":null,\"api_version\":\"2010-04-01\",\"date_created\":\"" + date
                    + "\",\"date_updated\":\"" + date + "\",\"start_time\":\"" + RFC2822.format(created.plusSeconds(2))
                    + "\",\"end_time\":\"" + RFC2822.format(created.plusSeconds(17)) + "\",\"queue_time\":\"0\","
                    + "\"uri\":\"" + base + ".json\",\"subresource_uris\":{\"recordings\":\"" + base + "/Recordings.json\"}}";
        }

        /** A call of the data set as it is; any other one rings for {@code ringNanos} from its first fetch. */
        String fetchCall(String sid) {
            BigInteger n = new BigInteger(sid.substring(2), 16);
            if (n.signum() > 0 && n.compareTo(BigInteger.valueOf(CALLS)) <= 0) {
                return callJson[n.intValue() - 1];
            }
            Instant first = firstFetched.computeIfAbsent(sid, k -> Instant.now());
            String json = callJson(sid, null, first);
            boolean ringing = java.time.Duration.between(first, Instant.now()).toNanos() < ringNanos;
            return ringing ? json.replace("\"status\":\"completed\"", "\"status\":\"ringing\"") : json;
        }

        String recordingJson(Recording r) {
            String date = RFC2822.format(r.created);
            String uri = "/2010-04-01/Accounts/" + account + "/Recordings/" + r.sid;
            return "{\"account_sid\":\"" + account + "\",\"api_version\":\"2010-04-01\",\"call_sid\":\"" + r.callSid
                    + "\",\"conference_sid\":null,\"channels\":2,\"date_created\":\"" + date + "\",\"date_updated\":\""
                    + date + "\",\"start_time\":\"" + RFC2822.format(r.created.minusSeconds(6))
                    + "\",\"duration\":\"6\",\"sid\":\"" + r.sid + "\",\"price\":\"-0.0025\",\"price_unit\":\"USD\","
                    + "\"status\":\"completed\",\"source\":\"RecordVerb\",\"error_code\":null,\"encryption_details\":null,"
                    + "\"uri\":\"" + uri + ".json\",\"media_url\":\"https://api.twilio.com" + uri + "\"}";
        }
    }

    // --- stats ----------------------------------------------------------------------------------------------------

    static volatile long latencyNanos;
    static volatile long ringNanos = 10_000_000_000L;
    static final AtomicLong requests = new AtomicLong();
    static final AtomicInteger inFlight = new AtomicInteger();
    static final AtomicInteger maxInFlight = new AtomicInteger();
    static final Map<String, Data> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    static final AtomicLong createdCalls = new AtomicLong();

    static void started() {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    // --- HTTP -----------------------------------------------------------------------------------------------------

    record Answer(int status, String body, boolean counted) {
    }

    /** Every recording's audio ({@code /Recordings/{Sid}.wav} or {@code .mp3}): {@value #MEDIA_BYTES} bytes. */
    static final int MEDIA_BYTES = 50 * 1024 * 1024;
    static final Answer MEDIA_ANSWER = new Answer(200, "", true);
    /** The whole answer, built once off the heap, so that serving it is a plain socket write. */
    static final ByteBuffer MEDIA = media();

    static ByteBuffer media() {
        byte[] headers = ("HTTP/1.1 200 OK\r\nContent-Type: audio/x-wav\r\nContent-Length: " + MEDIA_BYTES
                + "\r\nAccept-Ranges: bytes\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer media = ByteBuffer.allocateDirect(headers.length + MEDIA_BYTES).put(headers);
        java.util.Random random = new java.util.Random(42);
        byte[] chunk = new byte[64 * 1024];
        while (media.hasRemaining()) {
            random.nextBytes(chunk);
            media.put(chunk, 0, Math.min(chunk.length, media.remaining()));
        }
        return media.flip().asReadOnlyBuffer();
    }

    static Answer handle(String method, String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = new HashMap<>();
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        if (path.equals("/__stats")) {
            return new Answer(200, "{\"requests\":" + requests.get() + ",\"in_flight\":" + inFlight.get()
                    + ",\"max_in_flight\":" + maxInFlight.get() + ",\"latency_ms\":" + latencyNanos / 1_000_000 + "}", false);
        }
        if (path.equals("/__reset")) {
            if (query.containsKey("latency")) {
                latencyNanos = Long.parseLong(query.get("latency")) * 1_000_000L;
            }
            if (query.containsKey("ring")) {
                ringNanos = Long.parseLong(query.get("ring")) * 1_000_000L;
            }
            requests.set(0);
            maxInFlight.set(inFlight.get());
            return new Answer(200, "{}", false);
        }
        Matcher m = ACCOUNT_PATH.matcher(path);
        if (!m.matches()) {
            return notFound();
        }
        Data data = accounts.computeIfAbsent(m.group(1), Data::new);
        String rest = m.group(2);
        if (method.equals("POST") && rest.equals("/Calls.json")) {
            String sid = String.format("CA%032x", 0xE0000000L + createdCalls.incrementAndGet());
            return new Answer(201, data.callJson(sid, null, Instant.now()).replace("\"completed\"", "\"queued\""), true);
        }
        if (!method.equals("GET")) {
            return notFound();
        }
        if (rest.equals("/Calls.json")) {
            int size = pageSize(query);
            int from = offset(query);
            int to = Math.min(CALLS, from + size);
            StringBuilder sb = new StringBuilder(64 + (to - from) * 900).append("{\"calls\":[");
            for (int i = from; i < to; i++) {
                sb.append(i > from ? "," : "").append(data.callJson[i]);
            }
            return page(sb, data, "/Calls.json", "", query, size, to < CALLS ? to : -1);
        }
        if (rest.equals("/Recordings.json")) {
            return recordingsPage(data, query);
        }
        Matcher fetch = Pattern.compile("^/Calls/(CA[0-9a-fA-F]{32})\\.json$").matcher(rest);
        if (fetch.matches()) {
            return new Answer(200, data.fetchCall(fetch.group(1)), true);
        }
        Matcher call = Pattern.compile("^/Calls/(CA[0-9a-fA-F]{32})/Recordings\\.json$").matcher(rest);
        if (call.matches()) {
            List<Recording> list = data.byCall.getOrDefault(call.group(1), List.of());
            StringBuilder sb = new StringBuilder("{\"recordings\":[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i > 0 ? "," : "").append(list.get(i).json);
            }
            return page(sb, data, "/Calls/" + call.group(1) + "/Recordings.json", "", query, pageSize(query), -1);
        }
        Matcher one = Pattern.compile("^/Recordings/(RE[0-9a-fA-F]{32})(\\.json|/Transcriptions\\.json|\\.wav|\\.mp3)$")
                .matcher(rest);
        if (one.matches()) {
            Recording r = data.bySid.get(one.group(1));
            if (r == null) {
                return notFound();
            }
            if (one.group(2).equals(".wav") || one.group(2).equals(".mp3")) {
                return MEDIA_ANSWER;
            }
            if (one.group(2).equals(".json")) {
                return new Answer(200, r.json, true);
            }
            String date = RFC2822.format(r.created.plusSeconds(30));
            String tr = "{\"account_sid\":\"" + data.account + "\",\"api_version\":\"2008-08-01\",\"date_created\":\"" + date
                    + "\",\"date_updated\":\"" + date + "\",\"duration\":\"6\",\"price\":null,\"price_unit\":\"USD\","
                    + "\"recording_sid\":\"" + r.sid + "\",\"sid\":\"TR" + r.sid.substring(2) + "\",\"status\":\"completed\","
                    + "\"transcription_text\":\"Hello from the stand-in\",\"type\":\"fast\",\"uri\":\"/2010-04-01/Accounts/"
                    + data.account + "/Transcriptions/TR" + r.sid.substring(2) + ".json\"}";
            return page(new StringBuilder("{\"transcriptions\":[").append(tr), data,
                    "/Recordings/" + r.sid + "/Transcriptions.json", "", query, pageSize(query), -1);
        }
        return notFound();
    }

    /** {@code DateCreated>} / {@code DateCreated<} (UTC days) and paging over the recordings, newest first. */
    static Answer recordingsPage(Data data, Map<String, String> query) {
        String after = query.get("DateCreated>");
        String before = query.get("DateCreated<");
        String callSid = query.get("CallSid");
        Instant from = after == null ? Instant.MIN : LocalDate.parse(after).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant until = before == null ? Instant.MAX : LocalDate.parse(before).atStartOfDay(ZoneOffset.UTC).toInstant();
        int size = pageSize(query);
        int skip = offset(query);
        StringBuilder sb = new StringBuilder(64 + size * 700).append("{\"recordings\":[");
        int matched = 0;
        int written = 0;
        boolean more = false;
        for (Recording r : data.recordings) {
            if (r.created.isBefore(from)) {
                break; // newest first: nothing older can match
            }
            if (!r.created.isBefore(until) || (callSid != null && !callSid.equals(r.callSid))) {
                continue;
            }
            if (matched++ < skip) {
                continue;
            }
            if (written == size) {
                more = true;
                break;
            }
            sb.append(written++ > 0 ? "," : "").append(r.json);
        }
        StringBuilder filters = new StringBuilder();
        if (after != null) {
            filters.append("DateCreated%3E=").append(after).append('&');
        }
        if (before != null) {
            filters.append("DateCreated%3C=").append(before).append('&');
        }
        if (callSid != null) {
            filters.append("CallSid=").append(callSid).append('&');
        }
        return page(sb, data, "/Recordings.json", filters.toString(), query, size, more ? skip + size : -1);
    }

    static int pageSize(Map<String, String> query) {
        try {
            return Math.max(1, Math.min(1000, Integer.parseInt(query.getOrDefault("PageSize", "50"))));
        } catch (NumberFormatException e) {
            return 50;
        }
    }

    /** Page tokens here are {@code PA} plus the hex offset of the next item. */
    static int offset(Map<String, String> query) {
        String token = query.get("PageToken");
        return token != null && token.startsWith("PA") ? Integer.parseInt(token.substring(2), 16) : 0;
    }

    static Answer page(StringBuilder items, Data data, String list, String filters, Map<String, String> query, int size,
            int nextOffset) {
        int page = Integer.parseInt(query.getOrDefault("Page", "0"));
        String uri = "/2010-04-01/Accounts/" + data.account + list;
        items.append("],\"page\":").append(page).append(",\"page_size\":").append(size)
                .append(",\"uri\":\"").append(uri).append('?').append(filters).append("PageSize=").append(size)
                .append("&Page=").append(page).append("\",\"first_page_uri\":\"").append(uri).append('?').append(filters)
                .append("PageSize=").append(size).append("&Page=0\",\"previous_page_uri\":null,\"next_page_uri\":");
        if (nextOffset < 0) {
            items.append("null}");
        } else {
            items.append('"').append(uri).append('?').append(filters).append("PageSize=").append(size).append("&Page=")
                    .append(page + 1).append("&PageToken=PA").append(Integer.toHexString(nextOffset)).append("\"}");
        }
        return new Answer(200, items.toString(), true);
    }

    static Answer notFound() {
        return new Answer(404, "{\"code\":20404,\"message\":\"The requested resource was not found\","
                + "\"more_info\":\"https://www.twilio.com/docs/errors/20404\",\"status\":404}", true);
    }

    // --- event loops ----------------------------------------------------------------------------------------------

    /** One connection: bytes read so far, the answer being written, and whether a request awaits its answer. */
    static final class Conn {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(8192);
        ByteBuffer out;
        boolean waiting;
        boolean close;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    record Due(long at, Conn conn, ByteBuffer answer, boolean counted) {
    }

    static final class Loop implements Runnable {
        final Selector selector;
        final Queue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
        final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));

        Loop() throws IOException {
            selector = Selector.open();
        }

        void give(SocketChannel channel) {
            incoming.add(channel);
            selector.wakeup();
        }

        @Override
        public void run() {
            while (true) {
                try {
                    long timeout = due.isEmpty() ? 0 : (due.peek().at - System.nanoTime()) / 1_000_000;
                    if (!due.isEmpty() && timeout <= 0) {
                        selector.selectNow();
                    } else {
                        selector.select(timeout);
                    }
                    SocketChannel ch;
                    while ((ch = incoming.poll()) != null) {
                        ch.configureBlocking(false);
                        ch.socket().setTcpNoDelay(true);
                        ch.register(selector, SelectionKey.OP_READ, new Conn(ch));
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        Conn conn = (Conn) key.attachment();
                        try {
                            if (key.isValid() && key.isWritable()) {
                                flush(key, conn);
                            }
                            if (key.isValid() && key.isReadable()) {
                                read(key, conn);
                            }
                        } catch (IOException e) {
                            closeConn(key, conn);
                        }
                    }
                    selector.selectedKeys().clear();
                    long now = System.nanoTime();
                    while (!due.isEmpty() && due.peek().at <= now) {
                        Due d = due.poll();
                        send(d.conn, d.answer, d.counted);
                    }
                } catch (IOException | RuntimeException e) {
                    e.printStackTrace();
                }
            }
        }

        void read(SelectionKey key, Conn conn) throws IOException {
            if (!conn.in.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(conn.in.capacity() * 2);
                conn.in.flip();
                bigger.put(conn.in);
                conn.in = bigger;
            }
            if (conn.channel.read(conn.in) < 0) {
                closeConn(key, conn);
                return;
            }
            serveNext(conn);
        }

        /** Parses one complete request from the buffer, if there is one and none is awaiting its answer. */
        void serveNext(Conn conn) {
            if (conn.waiting) {
                return;
            }
            byte[] buf = conn.in.array();
            int len = conn.in.position();
            int end = -1;
            for (int i = 3; i < len; i++) {
                if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                return;
            }
            String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            int contentLength = 0;
            boolean close = false;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i].toLowerCase(Locale.ROOT);
                if (line.startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                } else if (line.startsWith("connection:") && line.contains("close")) {
                    close = true;
                }
            }
            if (len < end + contentLength) {
                return;
            }
            // Drop this request from the buffer (the body is not needed: POST /Calls.json answers the same).
            conn.in.flip();
            conn.in.position(end + contentLength);
            conn.in.compact();
            conn.waiting = true;
            conn.close = close;
            Answer answer = handle(requestLine[0], requestLine[1]);
            if (answer.counted) {
                started();
            }
            ByteBuffer bytes;
            if (answer == MEDIA_ANSWER) {
                bytes = MEDIA.duplicate(); // shared, read-only content: its own position
            } else {
                byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
                byte[] headers = ("HTTP/1.1 " + answer.status + (answer.status < 300 ? " OK" : " Not Found")
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                bytes = ByteBuffer.allocate(headers.length + body.length).put(headers).put(body).flip();
            }
            long delay = answer.counted ? latencyNanos : 0;
            if (delay > 0) {
                due.add(new Due(System.nanoTime() + delay, conn, bytes, true));
            } else {
                send(conn, bytes, answer.counted);
            }
        }

        void send(Conn conn, ByteBuffer answer, boolean counted) {
            if (counted) {
                inFlight.decrementAndGet();
            }
            SelectionKey key = conn.channel.keyFor(selector);
            if (key == null || !key.isValid()) {
                return;
            }
            conn.out = answer;
            try {
                flush(key, conn);
            } catch (IOException e) {
                closeConn(key, conn);
            }
        }

        void flush(SelectionKey key, Conn conn) throws IOException {
            if (conn.out == null) {
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            conn.channel.write(conn.out);
            if (conn.out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            conn.out = null;
            conn.waiting = false;
            key.interestOps(SelectionKey.OP_READ);
            if (conn.close) {
                closeConn(key, conn);
                return;
            }
            serveNext(conn);
        }

        void closeConn(SelectionKey key, Conn conn) {
            key.cancel();
            try {
                conn.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "18080");
        latencyNanos = Long.parseLong(args.length > 1 ? args[1] : "50") * 1_000_000L;
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Loop[] workers = new Loop[loops];
        for (int i = 0; i < loops; i++) {
            workers[i] = new Loop();
            Thread t = new Thread(workers[i], "loop-" + i);
            t.setDaemon(true);
            t.start();
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        System.out.println("Twilio stand-in on http://127.0.0.1:" + port + ", latency " + latencyNanos / 1_000_000
                + " ms, " + loops + " event loops");
        for (int n = 0;; n++) {
            SocketChannel ch = server.accept();
            workers[n % loops].give(ch);
        }
    }
}
