package dev.voicegate.twilio;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.impl.VertxInternal;

/** A media download must be read and written on one event loop: each loop gets a client, and so a pool, of its own. */
class LoopClientsTest {

    private Vertx vertx;
    private LoopClients clients;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        clients = new LoopClients(vertx, new HttpClientOptions());
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachEventLoopHasItsOwnClientAndKeepsIt() throws Exception {
        // New event-loop contexts are handed out round-robin over the two loops.
        Context first = ((VertxInternal) vertx).createEventLoopContext();
        Context second = ((VertxInternal) vertx).createEventLoopContext();
        assertNotSame(threadOf(first), threadOf(second));
        HttpClient onFirst = on(first);
        HttpClient onSecond = on(second);

        assertNotSame(onFirst, onSecond);
        assertSame(onFirst, on(first));
        assertSame(onSecond, on(second));
    }

    @Test
    void offAnEventLoopTheSharedClientServes() throws Exception {
        HttpClient offLoop = clients.current();

        assertSame(offLoop, clients.current());
        assertNotSame(offLoop, on(((VertxInternal) vertx).createEventLoopContext()));
    }

    private static Thread threadOf(Context context) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        context.runOnContext(ignored -> thread.complete(Thread.currentThread()));
        return thread.get(10, TimeUnit.SECONDS);
    }

    private HttpClient on(Context context) throws Exception {
        CompletableFuture<HttpClient> client = new CompletableFuture<>();
        context.runOnContext(ignored -> client.complete(clients.current()));
        return client.get(10, TimeUnit.SECONDS);
    }
}
