package dev.voicegate.console;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.voicegate.Sid;
import dev.voicegate.access.Guard;
import dev.voicegate.failure.ActionException;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.twilio.media.MediaDownload;
import dev.voicegate.voice.RecordingMedia;
import dev.voicegate.voice.RecordingMediaInput;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A recording's audio for the call page's player, streamed from Twilio as the media endpoint streams it (one Range,
 * answered 206 with Content-Range, so seeking works), with the signed-in operator's rights: the recording must be
 * one the ledger lists for the call, on an account the operator may use. A plain Vert.x route, so that the audio is
 * piped with back-pressure and a broken transfer is never ended like a complete one.
 */
@ApplicationScoped
class RecordingRoute {

    static final String PATH = "/console/calls/(" + Sid.CALL.regex() + ")/recordings/(" + Sid.RECORDING.regex()
            + ")\\.(wav|mp3)";
    private static final Logger LOG = Logger.getLogger(RecordingRoute.class);
    private static final List<String> PASSED_THROUGH = List.of("Content-Type", "Content-Length", "Accept-Ranges",
            "Content-Range");

    private final ConsoleAccess console;
    private final Guard guard;
    private final Ledger ledger;
    private final RecordingMedia media;

    RecordingRoute(ConsoleAccess console, Guard guard, Ledger ledger, RecordingMedia media) {
        this.console = console;
        this.guard = guard;
        this.ledger = ledger;
        this.media = media;
    }

    void register(@Observes Router router) {
        router.getWithRegex(PATH).handler(this::serve);
    }

    private void serve(RoutingContext rc) {
        String callSid = rc.pathParam("param0");
        String recordingSid = rc.pathParam("param1");
        String format = rc.pathParam("param2");
        Operator operator;
        try {
            Cookie cookie = rc.request().getCookie(Sessions.COOKIE);
            operator = console.operator(cookie == null ? null : cookie.getValue());
        } catch (ConsoleAccess.SignInRequired e) {
            fail(rc, 401, "Sign in to the console first.");
            return;
        }
        String range = rc.request().getHeader("Range");
        ledger.find(callSid).subscribe().with(found -> {
            LedgerEntry entry = found.orElse(null);
            if (entry == null || entry.details() == null || entry.details().recordingSids() == null
                    || !entry.details().recordingSids().contains(recordingSid)) {
                fail(rc, 404, "The call ledger lists no such recording for this call.");
                return;
            }
            String account = entry.attempt().accountSid();
            RecordingMediaInput input = new RecordingMediaInput(account, recordingSid, format, null, range);
            try {
                input.validate();
                guard.checkAccount(operator.caller(), account);
                media.open(input, operator.caller().credentialsFor(account)).subscribe()
                        .with(download -> send(rc, download), failure -> failed(rc, failure));
            } catch (ActionException e) {
                failed(rc, e);
            }
        }, failure -> failed(rc, failure));
    }

    private static void send(RoutingContext rc, MediaDownload download) {
        HttpServerResponse response = rc.response().setStatusCode(download.status());
        for (String name : PASSED_THROUGH) {
            String value = download.header(name);
            if (value != null) {
                response.putHeader(name, value);
            }
        }
        if (download.header("Content-Length") == null) {
            response.setChunked(true);
        }
        response.setWriteQueueMaxSize(1024 * 1024);
        rc.addEndHandler(ended -> download.close());
        download.pipeTo(response).onComplete(piped -> {
            if (piped.failed()) {
                response.reset(); // a cut body must look cut to the browser
            }
        });
    }

    private static void failed(RoutingContext rc, Throwable failure) {
        if (failure instanceof ActionException action) {
            int status = action.failure().httpStatus();
            fail(rc, status >= 400 ? status : 502, dev.voicegate.Redact.phonesIn(action.failure().error()));
        } else {
            LOG.warnf("A recording for the console failed: %s", failure.getClass().getSimpleName());
            fail(rc, 502, "The recording could not be fetched from Twilio. Reload later.");
        }
    }

    private static void fail(RoutingContext rc, int status, String message) {
        if (!rc.response().headWritten()) {
            rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end(message);
        }
    }
}
