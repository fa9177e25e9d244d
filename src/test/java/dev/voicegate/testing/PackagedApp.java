package dev.voicegate.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process of the packaged service of its own, for tests that need one (a second replica, a SIGTERM): the native
 * executable after {@code ./mvnw verify -Dnative}, else the JVM jar. {@link #replica} starts one on a free port,
 * with the test account, and waits until it is ready.
 */
public final class PackagedApp implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final int port;
    private final List<String> properties;
    private final File log;
    private Process process;

    private PackagedApp(int port, List<String> properties, File log) {
        this.port = port;
        this.properties = properties;
        this.log = log;
    }

    /**
     * A replica on a free port, with the test account and service key (as {@link WireMockTwilio} configures the
     * application under test), Twilio at {@code twilioUrl}, Redis at {@code redisUrl}, and {@code settings} on top;
     * its output goes to {@code target/<logName>.log}. Started and ready.
     */
    public static PackagedApp replica(String logName, String twilioUrl, String redisUrl, Map<String, String> settings) {
        int port = freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("quarkus.http.port", Integer.toString(port));
        all.put("quarkus.rest-client.twilio.url", twilioUrl);
        all.put("quarkus.redis.hosts", redisUrl);
        all.put("voicegate.twilio.account-sid", TestAccounts.ACCOUNT_SID);
        all.put("voicegate.twilio.auth-token", TestAccounts.AUTH_TOKEN);
        all.put("voicegate.access.service-api-keys", TestAccounts.SERVICE_KEY);
        all.putAll(settings);
        List<String> properties = all.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
        PackagedApp app = new PackagedApp(port, properties, new File("target/" + logName + ".log"));
        app.start();
        return app;
    }

    /**
     * The service as the README runs it, on its embedded sandbox ({@code -Dquarkus.profile=sandbox}), on a free port,
     * with {@code settings} on top; its output goes to {@code target/<logName>.log}. Started and ready.
     */
    public static PackagedApp sandbox(String logName, Map<String, String> settings) {
        int port = freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("quarkus.profile", "sandbox");
        all.put("quarkus.http.port", Integer.toString(port));
        all.putAll(settings);
        List<String> properties = all.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
        PackagedApp app = new PackagedApp(port, properties, new File("target/" + logName + ".log"));
        app.start();
        return app;
    }

    public int port() {
        return port;
    }

    /** Starts the process and waits until {@code /q/health/ready} answers 200. */
    public void start() {
        try {
            process = new ProcessBuilder(command(properties)).redirectErrorStream(true).redirectOutput(log).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the packaged service", e);
        }
        await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> readyAt(port));
    }

    /** Stops it (SIGTERM), waits until it is gone, and starts it again on the same port. */
    public void restart() {
        process.destroy();
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
        start();
    }

    /** SIGTERM, and waits until the process is gone (its graceful shutdown included). */
    public void stop() {
        process.destroy();
        await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());
    }

    /** SIGKILL: no shutdown hooks, nothing released. */
    public void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM. */
    @Override
    public void close() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Whether the service on {@code port} answers its readiness check with 200. */
    public static boolean readyAt(int port) {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception notYet) { // RestAssured rethrows ConnectException undeclared
            return false;
        }
    }

    /** The command that starts the packaged service with these {@code -D} system properties. */
    public static List<String> command(List<String> systemProperties) {
        String nativeImage = System.getProperty("native.image.path");
        List<String> command = new ArrayList<>();
        if (nativeImage != null && new File(nativeImage).canExecute()) {
            command.add(nativeImage);
            command.addAll(systemProperties);
        } else {
            command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
            // The JVM options @QuarkusIntegrationTest gives the service it starts (pom.xml: test.jvm.args).
            for (String option : System.getProperty("quarkus.test.arg-line", "").trim().split("\\s+")) {
                if (!option.isEmpty()) {
                    command.add(option);
                }
            }
            command.addAll(systemProperties);
            command.add("-jar");
            command.add("target/quarkus-app/quarkus-run.jar");
        }
        return command;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
