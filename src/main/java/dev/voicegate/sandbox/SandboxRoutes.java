package dev.voicegate.sandbox;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.Sid;
import dev.voicegate.config.VoicegateConfig;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The embedded Twilio sandbox: Twilio's 2010-04-01 Voice endpoints under {@code /sandbox}, answered from
 * {@link SandboxStore} on the event loop, so the service runs end to end over real HTTP without a Twilio
 * account. Registers nothing unless {@code voicegate.sandbox.enabled} is true (dev and sandbox profiles).
 * It places no real call; a call's status and recording callbacks go only to loopback ({@link SandboxCallbacks}).
 */
@ApplicationScoped
public class SandboxRoutes {

    private static final Logger LOG = Logger.getLogger(SandboxRoutes.class);
    private static final String PREFIX = "/sandbox";
    private static final String ACCOUNT = PREFIX + "/2010-04-01/Accounts/(?<account>[^/]+)";
    private static final String CALL = "/Calls/(?<call>" + Sid.CALL.regex() + ")";
    private static final String RECORDING = "/Recordings/(?<recording>" + Sid.RECORDING.regex() + ")";
    /** What a Host header may contain before it is echoed into {@code media_url}. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");
    /** Matches {@code quarkus.http.limits.max-body-size}; a call request is a few hundred bytes. */
    private static final long MAX_FORM_BYTES = 64 * 1024;

    private final VoicegateConfig.Sandbox config;
    private final SandboxAuth auth;
    private final SandboxStore store;
    private final SandboxCallbacks callbacks;
    private final ObjectMapper mapper;

    SandboxRoutes(VoicegateConfig config, SandboxStore store, SandboxCallbacks callbacks, ObjectMapper mapper) {
        this.config = config.sandbox();
        this.auth = new SandboxAuth(this.config.accountSid(), this.config.authToken());
        this.store = store;
        this.callbacks = callbacks;
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        // Order matters: body first (before anything may let the request stream), then auth, then endpoints.
        router.postWithRegex(ACCOUNT + "/Calls\\.json").handler(BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES));
        router.postWithRegex(ACCOUNT + CALL + "\\.json").handler(BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES));
        router.routeWithRegex(ACCOUNT + "(?:/.*)?").handler(this::authenticate);
        router.postWithRegex(ACCOUNT + "/Calls\\.json").handler(guarded(this::createCall));
        router.getWithRegex(ACCOUNT + "/Calls\\.json").handler(guarded(this::listCalls));
        router.getWithRegex(ACCOUNT + CALL + "\\.json").handler(guarded(this::fetchCall));
        router.postWithRegex(ACCOUNT + CALL + "\\.json").handler(guarded(this::updateCall));
        router.getWithRegex(ACCOUNT + CALL + "/Recordings\\.json").handler(guarded(this::listCallRecordings));
        router.getWithRegex(ACCOUNT + "/Recordings\\.json").handler(guarded(this::listRecordings));
        router.getWithRegex(ACCOUNT + RECORDING + "\\.json").handler(guarded(this::fetchRecording));
        router.getWithRegex(ACCOUNT + RECORDING + "/Transcriptions\\.json").handler(guarded(this::listTranscriptions));
        router.getWithRegex(ACCOUNT + RECORDING + "(?:\\.(?<extension>wav|mp3))?").handler(guarded(this::media));
        router.routeWithRegex(PREFIX + "(?:/.*)?").handler(ctx -> reply(ctx, SandboxError.notFound(twilioPath(ctx))))
                .failureHandler(this::failure);
        LOG.infof("Embedded Twilio sandbox serving %s/2010-04-01/Accounts/%s", PREFIX, config.accountSid());
    }

    private void authenticate(RoutingContext ctx) {
        if (auth.accepts(ctx.request().getHeader(HttpHeaders.AUTHORIZATION), ctx.pathParam("account"))) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
            reply(ctx, SandboxError.unauthenticated());
        }
    }

    private void createCall(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        SandboxCall call = store.create(param(form, "To"), param(form, "From"), param(form, "Url"),
                param(form, "Twiml"), param(form, "ApplicationSid"), param(form, "Record"),
                param(form, "MachineDetection"));
        LOG.debugf("Sandbox call %s created to %s", call.sid(), SandboxError.mask(call.to()));
        callbacks.follow(call, SandboxHooks.of(form), host(ctx));
        json(ctx, 201, SandboxJson.call(call, config.accountSid(), store.now()));
    }

    private void listCalls(RoutingContext ctx) {
        MultiMap q = ctx.queryParams();
        SandboxFilter filter = new SandboxFilter(param(q, "To"), param(q, "From"), param(q, "Status"), null,
                SandboxFilter.parseDate("StartTime>", param(q, "StartTime>")),
                SandboxFilter.parseDate("StartTime<", param(q, "StartTime<")));
        SandboxPage page = store.listCalls(filter, pageRequest(q));
        var now = store.now();
        json(ctx, 200, new SandboxWire.CallPage(
                page.items().stream().map(c -> SandboxJson.call(c, config.accountSid(), now)).toList(),
                page.meta(twilioPath(ctx), filters(q, "To", "From", "Status", "StartTime>", "StartTime<"))));
    }

    private void fetchCall(RoutingContext ctx) {
        SandboxCall call = store.call(ctx.pathParam("call")).orElseThrow(() -> SandboxError.notFound(twilioPath(ctx)));
        json(ctx, 200, SandboxJson.call(call, config.accountSid(), store.now()));
    }

    /** Ends a call ({@code Status=canceled|completed}); the sandbox does not redirect one. */
    private void updateCall(RoutingContext ctx) {
        SandboxCall call = store.hangUp(ctx.pathParam("call"), param(ctx.request().formAttributes(), "Status"),
                twilioPath(ctx));
        // Set only by this request: a call hung up before is refused with 21220.
        if (call.hungUp() != null) {
            LOG.debugf("Sandbox call %s hung up", call.sid());
            callbacks.hungUp();
        }
        json(ctx, 200, SandboxJson.call(call, config.accountSid(), store.now()));
    }

    private void listCallRecordings(RoutingContext ctx) {
        // An unknown call simply has no recordings: lists filter, they do not 404.
        SandboxFilter filter = new SandboxFilter(null, null, null, ctx.pathParam("call"), null, null);
        SandboxPage page = store.listRecordings(filter, pageRequest(ctx.queryParams()));
        json(ctx, 200, new SandboxWire.CallRecordingPage(
                page.items().stream().map(c -> SandboxJson.callRecording(c, config.accountSid())).toList(),
                page.meta(twilioPath(ctx), "")));
    }

    private void listRecordings(RoutingContext ctx) {
        MultiMap q = ctx.queryParams();
        SandboxFilter filter = new SandboxFilter(null, null, null, param(q, "CallSid"),
                SandboxFilter.parseDate("DateCreated>", param(q, "DateCreated>")),
                SandboxFilter.parseDate("DateCreated<", param(q, "DateCreated<")));
        SandboxPage page = store.listRecordings(filter, pageRequest(q));
        String host = host(ctx);
        json(ctx, 200, new SandboxWire.RecordingPage(
                page.items().stream().map(c -> SandboxJson.recording(c, config.accountSid(), host)).toList(),
                page.meta(twilioPath(ctx), filters(q, "CallSid", "DateCreated>", "DateCreated<"))));
    }

    private void fetchRecording(RoutingContext ctx) {
        SandboxCall call = store.recording(ctx.pathParam("recording"))
                .orElseThrow(() -> SandboxError.notFound(twilioPath(ctx)));
        json(ctx, 200, SandboxJson.recording(call, config.accountSid(), host(ctx)));
    }

    private void listTranscriptions(RoutingContext ctx) {
        List<SandboxCall> owner = store.recording(ctx.pathParam("recording")).stream().toList();
        SandboxPage page = SandboxPage.of(owner, pageRequest(ctx.queryParams()), SandboxCall::transcriptionSid,
                sid -> owner.stream().filter(c -> c.transcriptionSid().equals(sid)).findFirst()
                        .map(c -> OptionalLong.of(c.seq())).orElse(OptionalLong.empty()));
        json(ctx, 200, new SandboxWire.TranscriptionPage(
                page.items().stream().map(c -> SandboxJson.transcription(c, config.accountSid())).toList(),
                page.meta(twilioPath(ctx), "")));
    }

    private void media(RoutingContext ctx) {
        SandboxCall call = store.recording(ctx.pathParam("recording"))
                .orElseThrow(() -> SandboxError.notFound(twilioPath(ctx)));
        SandboxMedia.serve(ctx.response(), call.durationSeconds(), ctx.pathParam("extension"),
                param(ctx.queryParams(), "RequestedChannels"), ctx.request().getHeader("Range"));
    }

    /** Turns a {@link SandboxError} thrown by a handler into Twilio's error reply. */
    private Handler<RoutingContext> guarded(Consumer<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.accept(ctx);
            } catch (SandboxError e) {
                reply(ctx, e);
            }
        };
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status >= 500) {
            LOG.error("Sandbox request failed", ctx.failure());
        }
        reply(ctx, new SandboxError(status, status >= 500 ? 20500 : 20001,
                status == 413 ? "Request entity too large" : "Request failed"));
    }

    private void reply(RoutingContext ctx, SandboxError error) {
        json(ctx, error.status, SandboxJson.error(error));
    }

    private void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Buffer.buffer(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SandboxPage.Request pageRequest(MultiMap q) {
        return SandboxPage.Request.parse(param(q, "PageSize"), param(q, "Page"), param(q, "PageToken"));
    }

    /** Twilio treats an empty parameter like an absent one. */
    private static String param(MultiMap params, String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The given filters, form-encoded as Twilio echoes them in page links ({@code StartTime%3E=...&}). */
    private static String filters(MultiMap q, String... names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            String value = param(q, name);
            if (value != null) {
                sb.append(encode(name)).append('=').append(encode(value)).append('&');
            }
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The request path as Twilio would show it, i.e. without the {@code /sandbox} prefix. */
    private static String twilioPath(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring(PREFIX.length());
        return path.isEmpty() ? "/" : path;
    }

    private static String host(RoutingContext ctx) {
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        return host != null && HOST.matcher(host).matches() ? host : "localhost:" + ctx.request().localAddress().port();
    }
}
