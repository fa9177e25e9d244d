package dev.voicegate.api;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Bodies over {@code quarkus.http.limits.max-body-size} get HTTP 413 with the envelope on every {@code /v1}
 * endpoint, tool calls included, and on {@code /mcp}. Quarkus's own check answers a bare 413 (and, for a chunked
 * body, only once RESTEasy reads past the limit), so this route runs before it: it refuses a declared {@code Content-Length}
 * at once and buffers a chunked body only up to the limit; RESTEasy then reads the buffered body.
 */
@ApplicationScoped
public class BodyLimit {

    /** Quarkus registers its bare-413 check at order -2. */
    private static final int BEFORE_QUARKUS_LIMIT = -3;

    private final long limit;
    private final String tooLarge;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit,
            ObjectMapper mapper) throws JsonProcessingException {
        this.limit = limit.asLongValue();
        ActionFailure failure = new ActionFailure(ErrorCategory.INVALID_REQUEST, "the request body is larger than "
                + this.limit / 1024 + " KiB. Retrying will not help.", 413, null);
        this.tooLarge = mapper.writeValueAsString(Envelope.failure(failure.error()));
    }

    void install(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);
        // No path on the route itself: Micrometer would take a matched route's path for the request's URI tag.
        router.route().order(BEFORE_QUARKUS_LIMIT)
                .handler(ctx -> {
                    if (!ShutdownGate.guarded(ctx.normalizedPath())) {
                        ctx.next();
                    } else if (declaredLength(ctx) > limit) {
                        refuse(ctx);
                    } else if (unknownLength(ctx)) {
                        body.handle(ctx);
                    } else {
                        ctx.next();
                    }
                })
                .failureHandler(ctx -> {
                    if (ctx.statusCode() == 413 && !ctx.response().ended()) {
                        refuse(ctx);
                    } else {
                        ctx.next();
                    }
                });
    }

    /**
     * A chunked body. Forms are left to Quarkus: Vert.x would decode them, and no endpoint here reads them
     * (they are refused as not JSON, or with Quarkus's bare 413 when chunked and over the limit).
     */
    private static boolean unknownLength(RoutingContext ctx) {
        String type = String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
        return ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                && !type.startsWith("multipart/") && !type.startsWith("application/x-www-form-urlencoded");
    }

    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // The rest of the body is not read: the connection closes once the answer is written, as Quarkus does.
    private void refuse(RoutingContext ctx) {
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(tooLarge);
    }
}
