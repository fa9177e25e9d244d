package dev.voicegate.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.registry.Envelope;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Bodies over {@code quarkus.http.limits.max-body-size} get HTTP 413 with the envelope on every {@code /v1}
 * endpoint, tool calls included, and on {@code /mcp}. Quarkus's own check answers a bare 413 (and, for a chunked
 * body, only once RESTEasy or its form parser reads past the limit), so this route runs before it: it refuses a
 * declared {@code Content-Length} at once and reads a chunked body, of any type, only up to the limit; RESTEasy
 * (or the MCP server) then reads the body read here. Vert.x's BodyHandler is not used: it would decode forms and drop multipart bodies.
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
        // No path on the route itself: Micrometer would take a matched route's path for the request's URI tag.
        router.route().order(BEFORE_QUARKUS_LIMIT).handler(ctx -> {
            if (!ShutdownGate.guarded(ctx.normalizedPath())) {
                ctx.next();
            } else if (declaredLength(ctx) > limit) {
                refuse(ctx);
            } else if (unknownLength(ctx)) {
                read(ctx);
            } else {
                ctx.next();
            }
        });
    }

    /** A chunked body: its length is known only once it has been read. */
    private static boolean unknownLength(RoutingContext ctx) {
        return ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /**
     * Reads the body up to the limit and hands it on as the request's body, as Vert.x's BodyHandler would. It also
     * marks the body as read, as that handler does: a BodyHandler on a later route (the MCP endpoint's) then passes
     * the body on instead of waiting for a request that has already ended.
     */
    @SuppressWarnings("deprecation") // RoutingContext.setBody: how a read body is handed on in Vert.x 4
    private void read(RoutingContext ctx) {
        if (ctx instanceof RoutingContextInternal internal) {
            internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
        }
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        if (request.isEnded()) {
            ctx.setBody(body);
            ctx.next();
            return;
        }
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refuse(ctx);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(ctx::fail);
        request.endHandler(end -> {
            if (!ctx.response().ended()) {
                ctx.setBody(body);
                ctx.next();
            }
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                && request.version() != HttpVersion.HTTP_1_0) {
            ctx.response().writeContinue();
        }
        request.resume();
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
