package dev.voicegate.twilio.media;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.TwilioFailures;
import dev.voicegate.twilio.limit.AccountLimiter;
import dev.voicegate.twilio.limit.LeaseWait;
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One attempt at a recording's audio, up to its headers: a slot of the account, then {@code GET}, following at most
 * {@value #MAX_REDIRECTS} redirects (301, 302, 307) to wherever Twilio keeps the file. {@code Authorization} goes only
 * to the origin of the first URL: a redirect to another host (a storage bucket) never sees the credentials.
 * Ends with a {@link MediaDownload} that owns the slot, or a failure with the slot given back.
 * <p>
 * The attempt times itself (slot, redirects and headers together) rather than leaving it to a fault-tolerance
 * timeout: that one fails the caller but leaves the attempt running, whose download would then arrive with
 * nobody to take it. Here the timeout cancels the attempt and fails it with the same {@link TimeoutException}.
 */
final class MediaAttempt {

    static final int MAX_REDIRECTS = 3;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 307);
    /** Twilio's error bodies are a few hundred bytes; a longer one is cut, not buffered. */
    private static final int MAX_ERROR_BODY = 16 * 1024;

    /** Where to ask, how, and for how long. */
    record Target(URI first, String accountSid, String authorization, String range) {
    }

    private final Vertx vertx;
    private final LoopClients http;
    /** The caller's context: requests go out on its event loop, whichever thread granted the slot. */
    private final Context origin;
    private final AccountLimiter limiter;
    private final Target target;
    private final Duration headersTimeout;
    private final Duration claimWithin;
    private final UniEmitter<? super MediaDownload> emitter;
    private final LeaseWait slot = new LeaseWait();
    // Guarded by this.
    private boolean ended;
    private long timer = -1;
    private HttpClientRequest current;

    MediaAttempt(Vertx vertx, LoopClients http, AccountLimiter limiter, Target target, Duration headersTimeout,
            Duration claimWithin, UniEmitter<? super MediaDownload> emitter) {
        this.vertx = vertx;
        this.http = http;
        this.origin = vertx.getOrCreateContext();
        this.limiter = limiter;
        this.target = target;
        this.headersTimeout = headersTimeout;
        this.claimWithin = claimWithin;
        this.emitter = emitter;
    }

    void start() {
        // The caller gave up (a client that hung up, a retry that moved on): give back whatever is held.
        // Runs at once if already cancelled; after the outcome it finds nothing left to do.
        emitter.onTermination(this::abandon);
        long id = vertx.setTimer(Math.max(1, headersTimeout.toMillis()), ignored -> end(new TimeoutException(
                "Twilio's answer with the recording's media did not arrive within " + headersTimeout.toMillis() + " ms")));
        synchronized (this) {
            if (ended) {
                vertx.cancelTimer(id);
                return;
            }
            timer = id;
        }
        slot.start(limiter.acquire(target.accountSid(), Turn.FIRST), granted -> send(target.first(), 0),
                this::end);
    }

    private void send(URI uri, int redirects) {
        origin.runOnContext(ignored -> request(uri, redirects));
    }

    private void request(URI uri, int redirects) {
        synchronized (this) {
            if (ended) {
                return; // ended as the slot arrived: the slot went back already
            }
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString());
        if (sameOrigin(uri, target.first())) {
            options.putHeader(HttpHeaders.AUTHORIZATION, target.authorization());
        }
        if (target.range() != null) {
            options.putHeader("Range", target.range());
        }
        http.current().request(options).onFailure(this::end).onSuccess(request -> {
            boolean abandoned;
            synchronized (this) {
                abandoned = ended;
                if (!abandoned) {
                    current = request;
                }
            }
            if (abandoned) {
                request.reset();
                return;
            }
            LoopClients.readLargeChunks(request.connection());
            request.send().onFailure(this::end).onSuccess(response -> answered(uri, redirects, request, response));
        });
    }

    private void answered(URI uri, int redirects, HttpClientRequest request, HttpClientResponse response) {
        int status = response.statusCode();
        if (status == 200 || status == 206) {
            deliver(request, response);
        } else if (REDIRECTS.contains(status)) {
            response.exceptionHandler(ignored -> {
            }); // its body is not needed: cut short when the attempt ends meanwhile
            follow(uri, redirects, response.getHeader(HttpHeaders.LOCATION));
        } else {
            Buffer body = Buffer.buffer();
            response.handler(chunk -> body.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_ERROR_BODY - body.length())));
            response.exceptionHandler(this::end);
            response.endHandler(done -> end(TwilioFailures.classify(status, body.toString(StandardCharsets.UTF_8),
                    response.getHeader(HttpHeaders.RETRY_AFTER))));
        }
    }

    /** Follows a redirect, or fails the attempt: too many redirects, or a Location missing, unreadable or not HTTP. */
    private void follow(URI from, int redirects, String location) {
        if (location == null) {
            end(new TwilioException.BadResponse("a redirect without a Location", null));
            return;
        }
        if (redirects == MAX_REDIRECTS) {
            end(new TwilioException.BadResponse("more than " + MAX_REDIRECTS + " redirects for the recording's media", null));
            return;
        }
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            end(new TwilioException.BadResponse("a redirect to an unreadable Location", null));
            return;
        }
        if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
            end(new TwilioException.BadResponse("a redirect to a non-HTTP Location", null));
            return;
        }
        send(next, redirects + 1); // this response's small body drains by itself; its connection is reused
    }

    /** Hands the download, and with it the slot, to the subscriber; only the first outcome counts. */
    private void deliver(HttpClientRequest request, HttpClientResponse response) {
        AccountLimiter.Lease held;
        long toCancel;
        synchronized (this) {
            if (ended) {
                return; // already failed or abandoned: the request was reset and the slot given back
            }
            ended = true;
            held = slot.take();
            toCancel = timer;
            current = null;
        }
        vertx.cancelTimer(toCancel);
        // Should the caller give up at this very moment, the download is dropped: it then closes itself after
        // claimWithin (MediaDownload), giving the slot and the connection back.
        emitter.complete(new MediaDownload(held, request, response, vertx, claimWithin));
    }

    /** The caller gave up (a client that hung up, a retry that moved on): end without telling anyone. */
    private void abandon() {
        end(null);
    }

    /**
     * Ends the attempt without a download: with {@code failure} (then it goes to the subscriber), or abandoned
     * (null). Whatever is in progress is cancelled and the slot given back; only the first outcome counts.
     */
    private void end(Throwable failure) {
        HttpClientRequest toReset;
        long toStop;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toReset = current;
            toStop = timer;
            current = null;
        }
        vertx.cancelTimer(toStop);
        slot.cancel();
        if (toReset != null) {
            toReset.reset(); // after a complete error answer this does nothing, and the connection is reused
        }
        if (failure != null) {
            emitter.fail(failure);
        }
    }

    /** Same scheme, host and port: only then may the credentials go along. */
    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && port(a) == port(b) && a.getHost() != null
                && b.getHost() != null && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT));
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
