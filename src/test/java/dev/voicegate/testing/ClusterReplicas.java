package dev.voicegate.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * A test class's replicas on the shared test Redis Cluster ({@link RedisCluster#shared()}): each {@link #dataSource()}
 * is a cluster client of its own, as a replica has; all are closed after the class. Register it with
 * {@code @RegisterExtension static final ClusterReplicas CLUSTER = new ClusterReplicas();}.
 */
public final class ClusterReplicas implements AfterAllCallback {

    private final Vertx vertx = Vertx.vertx();
    private final List<Redis> clients = new ArrayList<>();

    /** A new replica's connection to the cluster. */
    public ReactiveRedisDataSource dataSource() {
        return RedisCluster.shared().dataSource(vertx, clients);
    }

    /** The store's answer, waited for (the stores bound their own commands by 2 s). */
    public static <T> T result(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clients.forEach(Redis::close);
        vertx.close();
    }
}
