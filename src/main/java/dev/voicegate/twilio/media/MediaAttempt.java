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
import dev.voicegate.twilio.limit.Turn;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
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
 * {@code @Timeout}: that one fails the caller but leaves the attempt running, whose download would then arrive with
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
    // Guarded by this.
    private boolean ended;
    private long timer = -1;
    private UniSubscription waiting;
    private AccountLimiter.Lease lease;
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
        emitter.onTermination(() -> end(null));
        long id = vertx.setTimer(Math.max(1, headersTimeout.toMillis()), ignored -> end(new TimeoutException(
                "Twilio's answer with the recording's media did not arrive within " + headersTimeout.toMillis() + " ms")));
        synchronized (this) {
            if (ended) {
                vertx.cancelTimer(id);
                return;
            }
            timer = id;
        }
        limiter.acquire(target.accountSid(), Turn.FIRST).subscribe().withSubscriber(new UniSubscriber<AccountLimiter.Lease>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
                boolean cancel;
                synchronized (MediaAttempt.this) {
                    cancel = ended;
                    waiting = subscription;
                }
                if (cancel) {
                    subscription.cancel();
                }
            }

            @Override
            public void onItem(AccountLimiter.Lease granted) {
                boolean held;
                synchronized (MediaAttempt.this) {
                    held = !ended;
                    if (held) {
                        lease = granted;
                        waiting = null;
                    }
                }
                if (held) {
                    send(target.first(), 0);
                } else {
                    granted.release(); // the attempt ended while the slot was on its way
                }
            }

            @Override
            public void onFailure(Throwable failure) {
                end(failure);
            }
        });
    }

    private void send(URI uri, int redirects) {
        origin.runOnContext(ignored -> request(uri, redirects));
    }

    private void request(URI uri, int redirects) {
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
            URI next = redirect(uri, redirects, response.getHeader(HttpHeaders.LOCATION));
            if (next != null) {
                send(next, redirects + 1); // this response's small body drains by itself; its connection is reused
            }
        } else {
            Buffer body = Buffer.buffer();
            response.handler(chunk -> body.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_ERROR_BODY - body.length())));
            response.exceptionHandler(this::end);
            response.endHandler(done -> end(TwilioFailures.classify(status, body.toString(StandardCharsets.UTF_8),
                    response.getHeader(HttpHeaders.RETRY_AFTER))));
        }
    }

    /** Where a redirect leads, or null after failing the attempt (too many, none, or not HTTP). */
    private URI redirect(URI from, int redirects, String location) {
        String problem = null;
        URI next = null;
        if (location == null) {
            problem = "a redirect without a Location";
        } else if (redirects == MAX_REDIRECTS) {
            problem = "more than " + MAX_REDIRECTS + " redirects for the recording's media";
        } else {
            try {
                next = from.resolve(location.trim());
            } catch (IllegalArgumentException e) {
                problem = "a redirect to an unreadable Location";
            }
            if (next != null && !"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
                problem = "a redirect to a non-HTTP Location";
            }
        }
        if (problem != null) {
            end(new TwilioException.BadResponse(problem, null));
            return null;
        }
        return next;
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
            held = lease;
            toCancel = timer;
            lease = null;
            current = null;
        }
        vertx.cancelTimer(toCancel);
        // Should the caller give up at this very moment, the download is dropped: it then closes itself after
        // claimWithin (MediaDownload), giving the slot and the connection back.
        emitter.complete(new MediaDownload(held, request, response, vertx, claimWithin));
    }

    /**
     * Ends the attempt without a download: with {@code failure} (then it goes to the subscriber), or abandoned
     * (null). Whatever is in progress is cancelled and the slot given back; only the first outcome counts.
     */
    private void end(Throwable failure) {
        UniSubscription toCancel;
        HttpClientRequest toReset;
        AccountLimiter.Lease held;
        long toStop;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toCancel = waiting;
            toReset = current;
            held = lease;
            toStop = timer;
            waiting = null;
            current = null;
            lease = null;
        }
        vertx.cancelTimer(toStop);
        if (toCancel != null) {
            toCancel.cancel();
        }
        if (held != null) {
            held.release();
        }
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
