package dev.voicegate.twilio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/**
 * One HTTP client, with its own connection pool, per event loop. A pooled connection stays on the event loop that
 * opened it, and Vert.x hands a request whatever connection is free: one opened by another loop means every chunk
 * of a download hops between two threads on its way to the caller, which cost a quarter of media throughput. With a
 * pool per loop, a download is read and written on the caller's own loop.
 */
final class LoopClients {

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final Map<Thread, HttpClient> perLoop = new ConcurrentHashMap<>();
    private final HttpClient others;

    LoopClients(Vertx vertx, HttpClientOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.others = vertx.createHttpClient(options);
    }

    /** The client of the current event loop; off an event loop (a worker, a test's thread), a shared one. */
    HttpClient current() {
        if (!Context.isOnEventLoopThread()) {
            return others;
        }
        return perLoop.computeIfAbsent(Thread.currentThread(), loop -> vertx.createHttpClient(options));
    }

    void close() {
        others.close();
        perLoop.values().forEach(HttpClient::close);
    }
}
