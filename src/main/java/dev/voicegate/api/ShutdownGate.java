package dev.voicegate.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.voicegate.lifecycle.Draining;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * Graceful shutdown: on SIGTERM Quarkus first waits {@code quarkus.shutdown.delay} with readiness down,
 * then lets in-flight requests finish within {@code quarkus.shutdown.timeout}. From the first moment,
 * this gate refuses new API requests ({@code /v1}, {@code /mcp}) with 503 and the envelope, so a caller retries on
 * another replica instead of starting work (a call!) that the pod may not live to finish. The flag itself lives in
 * {@link Draining}, where the actions read it too.
 */
@ApplicationScoped
public class ShutdownGate {

    private static final Logger LOG = Logger.getLogger(ShutdownGate.class);
    static final String REFUSAL = "{\"success\":false,\"error\":\"upstream_unavailable: this Voicegate instance is "
            + "shutting down; nothing was done. Retrying (on another instance) will help.\"}";

    private final Draining draining;

    ShutdownGate(Draining draining) {
        this.draining = draining;
    }

    void onShutdownStarted(@Observes ShutdownDelayInitiatedEvent event) {
        draining.start();
        LOG.info("Shutting down: refusing new requests, finishing those in flight");
    }

    void install(@Observes Filters filters) {
        filters.register(context -> {
            if (draining.isDraining() && guarded(context.normalizedPath())) {
                context.response().setStatusCode(503)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.RETRY_AFTER, "1")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(REFUSAL);
                return;
            }
            context.next();
        }, 1000);
    }

    /** The API: {@code /v1/…} and the MCP endpoint {@code /mcp} (mcp/McpGate). */
    static boolean guarded(String path) {
        return path.startsWith("/v1/") || path.equals("/mcp") || path.startsWith("/mcp/");
    }
}
