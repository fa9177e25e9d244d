package dev.voicegate.twilio.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
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

    @Test
    void aMediaConnectionReadsMoreThanNettysDefaultAtATime() throws Exception {
        int bodyBytes = 16 * 1024 * 1024;
        Buffer body = Buffer.buffer(new byte[bodyBytes]);
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().end(body))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LoopClients large = new LoopClients(vertx, new HttpClientOptions().setMaxChunkSize(LoopClients.MAX_READ_BYTES));
        AtomicInteger largest = new AtomicInteger();
        AtomicLong received = new AtomicLong();
        try {
            large.current().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(request -> {
                        LoopClients.readLargeChunks(request.connection());
                        return request.send();
                    })
                    .compose(response -> {
                        response.handler(chunk -> {
                            largest.accumulateAndGet(chunk.length(), Math::max);
                            received.addAndGet(chunk.length());
                        });
                        return response.end();
                    })
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            large.close();
            server.close();
        }

        assertEquals(bodyBytes, received.get());
        // Netty's default reads stop at 64 KiB; the body on loopback arrives faster than it is read.
        assertTrue(largest.get() > 64 * 1024, "largest piece: " + largest.get());
    }

    private HttpClient on(Context context) throws Exception {
        CompletableFuture<HttpClient> client = new CompletableFuture<>();
        context.runOnContext(ignored -> client.complete(clients.current()));
        return client.get(10, TimeUnit.SECONDS);
    }
}
