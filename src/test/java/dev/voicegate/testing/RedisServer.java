package dev.voicegate.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Redis server on a free loopback port, from the machine's {@code redis-server}
 * ({@code .ci/run} installs it from apt). Tests may stop and restart it to play an outage.
 */
public class RedisServer implements QuarkusTestResourceLifecycleManager {

    private Process process;
    private int port;

    @Override
    public Map<String, String> start() {
        port = freePort();
        startProcess();
        // The suites that take Redis down test other stores' behaviour: the do-not-call list lets calls through
        // unchecked for them (its fail-closed default is tested in DoNotCallApiTest and RedisDoNotCallTest).
        // The client type is said too: a packaged application started after a cluster suite would otherwise keep
        // that suite's quarkus.redis.client-type=cluster (the launcher hands earlier suites' properties on).
        return Map.of("quarkus.redis.hosts", url(), "quarkus.redis.client-type", "standalone",
                "voicegate.do-not-call.fail-closed", "false");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectRedis.class, RedisServer.class));
    }

    @Override
    public void stop() {
        stopProcess();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * An outage: kills the server, runs {@code during} (the checks made while Redis is away), and starts the server
     * again on the same port even when they fail.
     */
    public void outage(Runnable during) {
        stopProcess();
        try {
            during.run();
        } finally {
            startProcess();
        }
    }

    /** Kills the server (an outage) and waits until the port is closed. */
    public void stopProcess() {
        if (process != null) {
            process.destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
            process = null;
        }
    }

    /** Starts (or restarts) the server on the same port and waits for PONG. */
    public void startProcess() {
        try {
            Path dir = Files.createTempDirectory("voicegate-redis");
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is needed for these tests: apt-get install -y redis-server", e);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(this::answersPing);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
