package dev.voicegate.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * A real Redis Cluster on loopback: three masters and three replicas from the machine's {@code redis-server}
 * ({@code .ci/run} installs it from apt), joined by {@code redis-cli --cluster create}, each node on a free port with its
 * cluster config file in a temp directory. The node timeout is short (1 s), so that a killed master's replica takes
 * over within seconds ({@link #killMasterOf}). As a test resource it sets {@code quarkus.redis.client-type=cluster} and
 * {@code quarkus.redis.hosts} to every node.
 */
public class RedisCluster implements QuarkusTestResourceLifecycleManager {

    private static final int NODES = 6;
    private static RedisCluster shared;
    private final Map<Integer, Process> nodes = new LinkedHashMap<>();
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("voicegate-redis-cluster");
            for (int i = 0; i < NODES; i++) {
                int port = freePort();
                nodes.put(port, startNode(port));
            }
            for (int port : nodes.keySet()) {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> cli(port, "PING").contains("PONG"));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.keySet().forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            String created = run(redisCli(0, create));
            if (!created.contains("[OK] All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + created);
            }
            awaitHealthy();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server and redis-cli are needed: apt-get install -y redis-server", e);
        }
        return Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", hosts(),
                "voicegate.do-not-call.fail-closed", "false");
    }

    /** One cluster for the plain (non-Quarkus) tests of this JVM, started on first use, stopped when the JVM ends. */
    public static synchronized RedisCluster shared() {
        if (shared == null) {
            RedisCluster cluster = new RedisCluster();
            cluster.start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
            shared = cluster;
        }
        shared.awaitHealthy();
        return shared;
    }

    /** A cluster client of its own (a replica's), as {@code quarkus.redis.client-type=cluster} makes one. */
    public Redis client(io.vertx.mutiny.core.Vertx vertx) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        nodes.keySet().forEach(port -> options.addConnectionString("redis://127.0.0.1:" + port));
        return Redis.createClient(vertx, options);
    }

    /** A data source on a client of its own ({@link #client}), added to {@code clients} for the test to close. */
    public ReactiveRedisDataSource dataSource(io.vertx.core.Vertx vertx, List<Redis> clients) {
        io.vertx.mutiny.core.Vertx mutiny = io.vertx.mutiny.core.Vertx.newInstance(vertx);
        Redis client = client(mutiny);
        clients.add(client);
        return new ReactiveRedisDataSourceImpl(mutiny, client, RedisAPI.api(client));
    }

    /** Empties every master (tests only: FLUSHALL is one node's part of the keyspace, so it is sent to each). */
    public void flushAll() {
        nodes.entrySet().stream().filter(node -> node.getValue().isAlive())
                .forEach(node -> cli(node.getKey(), "FLUSHALL"));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectRedis.class, RedisCluster.class));
    }

    @Override
    public void stop() {
        nodes.values().forEach(Process::destroyForcibly);
        nodes.clear();
    }

    /** Every node, as {@code quarkus.redis.hosts} lists them. */
    public String hosts() {
        return nodes.keySet().stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * Waits until every live node says {@code cluster_state:ok} and every live replica has synchronised with its
     * master (a replica that never did cannot take over: Redis refuses the failover).
     */
    public void awaitHealthy() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> nodes.entrySet().stream()
                .filter(node -> node.getValue().isAlive())
                .allMatch(node -> cli(node.getKey(), "CLUSTER", "INFO").contains("cluster_state:ok") && inSync(node.getKey())));
    }

    private boolean inSync(int port) {
        String replication = cli(port, "INFO", "replication");
        return replication.contains("role:master") || replication.contains("master_link_status:up");
    }

    /** The port of the live master that serves {@code key}'s slot, as the first live node sees it. */
    public int masterOf(String key) {
        int any = livePort();
        int slot = Integer.parseInt(cli(any, "CLUSTER", "KEYSLOT", key).trim());
        for (String line : cli(any, "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Kills the master that serves {@code key}'s slot (its replica takes over); returns its port. */
    public int killMasterOf(String key) {
        int port = masterOf(key);
        Process process = nodes.get(port);
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
        return port;
    }

    /** Waits until {@code key}'s slot is served by a live master other than {@code formerPort}, and the cluster is ok. */
    public void awaitFailover(String key, int formerPort) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                int master = masterOf(key);
                return master != formerPort && nodes.get(master).isAlive();
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        awaitHealthy();
    }

    /**
     * Copies every key of a standalone Redis on {@code fromPort} into the cluster, with its expiry, as
     * docs/operations.md tells operators to do once when they move to a cluster; returns redis-cli's output.
     */
    public String importFrom(int fromPort) {
        try {
            return run(redisCli(0, List.of("--cluster", "import", "127.0.0.1:" + livePort(), "--cluster-from",
                    "127.0.0.1:" + fromPort, "--cluster-copy", "--cluster-replace")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every live node's view of the cluster ({@code CLUSTER NODES}), for a failure's message. */
    public String describe() {
        StringBuilder out = new StringBuilder("logs in " + dir + "\n");
        nodes.forEach((port, process) -> out.append(port).append(process.isAlive() ? "" : " (killed)").append(":\n")
                .append(process.isAlive() ? cli(port, "CLUSTER", "NODES") : "").append('\n'));
        return out.toString();
    }

    /** {@code redis-cli -p port args...}'s output. */
    public String cli(int port, String... args) {
        try {
            return run(redisCli(port, List.of(args)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int livePort() {
        return nodes.entrySet().stream().filter(node -> node.getValue().isAlive()).findFirst()
                .orElseThrow().getKey();
    }

    private Process startNode(int port) throws IOException {
        Path config = dir.resolve("nodes-" + port + ".conf");
        return new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", config.toString(), "--cluster-node-timeout", "1000",
                // A replica's first sync without the default 5 s wait for other replicas to join it.
                "--repl-diskless-sync-delay", "0",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    }

    private static List<String> redisCli(int port, List<String> args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1"));
        if (port > 0) {
            command.addAll(List.of("-p", Integer.toString(port)));
        }
        command.addAll(args);
        return command;
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A free port whose cluster bus port (10000 above) is free too. */
    private int freePort() {
        while (true) {
            int port = free(0);
            if (port + 10000 <= 65535 && !nodes.containsKey(port) && free(port + 10000) > 0) {
                return port;
            }
        }
    }

    private static int free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.getLocalPort();
        } catch (IOException inUse) {
            return -1;
        }
    }
}
