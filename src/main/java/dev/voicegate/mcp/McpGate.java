package dev.voicegate.mcp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.access.AccessControl;
import dev.voicegate.failure.ActionException;
import dev.voicegate.observability.RequestIds;
import dev.voicegate.registry.Envelope;
import io.opentelemetry.context.Context;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The front door of {@code /mcp}, ahead of the MCP extension's own route. Every HTTP method is authenticated as on
 * {@code /v1} ({@link AccessControl}): without valid credentials the answer is 401 with {@code WWW-Authenticate} and
 * the envelope, and the extension never sees the request. The caller, the request id and the trace context travel in
 * the routing context to the tool calls ({@link McpTools}). A POST body is checked by {@link JsonRpcCheck} first.
 * The legacy HTTP+SSE transport that the extension also serves ({@code /mcp/sse}, {@code /mcp/messages/…}) is off: 404.
 */
@ApplicationScoped
public class McpGate {

    public static final String PATH = "/mcp";
    static final String CALLER = "voicegate.mcp.caller";
    static final String TRACE = "voicegate.mcp.trace";
    static final String REQUEST_ID = "voicegate.mcp.request-id";
    static final String ARGUMENTS = "voicegate.mcp.arguments";
    /** As on /v1 (api/Responses). */
    static final String SESSION = "Mcp-Session-Id";
    static final String CHALLENGE = "Bearer realm=\"voicegate\", Basic realm=\"voicegate\"";

    private static final Logger LOG = Logger.getLogger(McpGate.class);
    /** After api/BodyLimit (-3) and Quarkus's own body-size check (-2); the extension's routes come later. */
    private static final int ORDER = -1;

    private final AccessControl access;
    private final ConnectionManager connections;
    private final ObjectMapper mapper;
    private final long bodyLimit;

    McpGate(AccessControl access, ConnectionManager connections, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize bodyLimit) {
        this.access = access;
        this.connections = connections;
        this.mapper = mapper;
        this.bodyLimit = bodyLimit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::legacyTransportOff);
        router.route(PATH).order(ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(bodyLimit))
                .handler(this::authenticate)
                .handler(this::checkJsonRpc)
                .failureHandler(this::neverAn500);
    }

    private void legacyTransportOff(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.startsWith(PATH + "/") && path.length() > PATH.length() + 1) {
            reply(ctx, 404, envelope("not_found: no such endpoint; MCP is served at " + PATH
                    + " (Streamable HTTP), the legacy SSE transport is off. Retrying will not help."));
        } else {
            ctx.next();
        }
    }

    private void authenticate(RoutingContext ctx) {
        String id = RequestIds.assign(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(REQUEST_ID, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        try {
            ctx.put(CALLER, access.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)));
        } catch (ActionException refused) {
            ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
            reply(ctx, 401, envelope(refused.failure().error()));
            return;
        }
        // The extension runs each operation on a context of its own: the tool call restores this one.
        ctx.put(TRACE, Context.current());
        ctx.next();
    }

    @SuppressWarnings("deprecation") // setBody: the one way to hand the extension a rewritten body
    private void checkJsonRpc(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.next();
            return;
        }
        Buffer body = ctx.body().buffer();
        JsonRpcCheck.Verdict verdict = JsonRpcCheck.check(body == null ? new byte[0] : body.getBytes());
        if (!verdict.accepted()) {
            reply(ctx, verdict.httpStatus(), verdict.answer());
            return;
        }
        String session = ctx.request().getHeader(SESSION);
        if (verdict.notificationsOnly() && (session == null || !connections.has(session))) {
            // Nothing to notify without a session here (the extension would answer them as unknown methods).
            ctx.response().setStatusCode(202).end();
            return;
        }
        if (verdict.rewritten() != null) {
            ctx.setBody(Buffer.buffer(verdict.rewritten()));
        }
        ctx.put(ARGUMENTS, verdict.arguments());
        ctx.next();
    }

    /** What the extension throws while reading a request it could not read is the client's error, not ours. */
    private void neverAn500(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten() || (ctx.statusCode() > 0 && ctx.statusCode() < 500)) {
            ctx.next();
            return;
        }
        LOG.warnf("Refused an MCP request that could not be read: %s", String.valueOf(ctx.failure()));
        reply(ctx, 400, JsonRpcCheck.error(JsonRpcCheck.INVALID_REQUEST, "Invalid Request"));
    }

    private String envelope(String error) {
        try {
            return mapper.writeValueAsString(Envelope.failure(error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the envelope is always writable", e);
        }
    }

    private static void reply(RoutingContext ctx, int status, String json) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }
}
