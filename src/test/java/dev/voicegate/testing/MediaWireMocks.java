package dev.voicegate.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Twilio and a second host, the storage Twilio redirects recording media to: two WireMock servers on loopback.
 * The Twilio one serves {@link #BIG_FILE}, {@value #BIG_SIZE} bytes of seeded random data, from a body file that
 * Jetty streams; its request journal keeps at most 1 KiB of each response body, so that it never holds a copy of
 * the 50 MB. The service is configured as by {@link WireMockTwilio}, with short fault tolerance for the media client.
 * Tests get the servers through {@link InjectWireMock} (Twilio) and {@link Storage}.
 */
public class MediaWireMocks implements QuarkusTestResourceLifecycleManager {

    /** The body file, under WireMock's {@code __files}. */
    public static final String BIG_FILE = "fifty-megabytes.wav";
    public static final int BIG_SIZE = 50 * 1024 * 1024;
    /** Per-attempt timeout to the media's headers in tests, in milliseconds. */
    public static final String MEDIA_TIMEOUT_MS = "2000";

    /** Marks the {@code WireMockServer} field that gets the storage server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Storage {
    }

    private Path root;
    private WireMockServer twilio;
    private WireMockServer storage;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("voicegate-media");
            writeBigFile(Files.createDirectories(root.resolve("__files")).resolve(BIG_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(root.toString()).maxLoggedResponseSize(1024)
                .notifier(new Slf4jNotifier(false)));
        storage = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false)));
        twilio.start();
        storage.start();
        Map<String, String> config = WireMockTwilio.serviceConfig(WireMockTwilio.baseUrl(twilio));
        String media = "quarkus.fault-tolerance.\"dev.voicegate.twilio.media.TwilioMediaClient/open\"";
        config.put("voicegate.media.headers-timeout", MEDIA_TIMEOUT_MS + "ms");
        config.put(media + ".retry.delay", WireMockTwilio.TEST_RETRY_DELAY_MS);
        config.put(media + ".retry.jitter", "0");
        config.put("voicegate.media.idle-timeout", "10s");
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(twilio,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
        testInjector.injectIntoFields(storage,
                new TestInjector.AnnotatedAndMatchesType(Storage.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (twilio != null) {
            twilio.stop();
            storage.stop();
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory; the OS cleans it up eventually
            }
        }
    }

    /** The body file's bytes: the same for the same seed, so {@link #bigFileSha256()} knows them without reading it. */
    static void writeBigFile(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            generate(out::write);
        }
    }

    /** SHA-256 of the body file, as lower-case hex. */
    public static String bigFileSha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            generate(digest::update);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface ChunkSink {
        void accept(byte[] chunk) throws IOException;
    }

    private static void generate(ChunkSink sink) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[64 * 1024];
        for (int written = 0; written < BIG_SIZE; written += chunk.length) {
            random.nextBytes(chunk);
            sink.accept(chunk);
        }
    }
}
