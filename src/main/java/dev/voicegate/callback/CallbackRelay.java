package dev.voicegate.callback;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.ledger.Delivery;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.outbound.AddressGuard;
import dev.voicegate.outbound.CheckedTarget;
import dev.voicegate.outbound.RefusedTargetException;
import dev.voicegate.twilio.TwilioSignature;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Delivers a callback to the caller's own URL, as Twilio would have: the same fields, the caller's method, and
 * {@code X-Twilio-Signature} computed for the caller's URL with the account's Auth Token, so the caller's existing
 * validator accepts it. Only through the {@link AddressGuard}; at least once: connection errors and 5xx are retried
 * with back-off for {@code relay-retry-for}; redirects are never followed. Each outcome goes into the ledger.
 */
@ApplicationScoped
class CallbackRelay {

    static final String STATUS_CALLBACK = "status_callback";
    static final String RECORDING_STATUS_CALLBACK = "recording_status_callback";
    private static final Logger LOG = Logger.getLogger(CallbackRelay.class);

    /** One callback to relay: {@code target} names the parameter the URL came from, {@code event} the status. */
    record Outgoing(String callSid, String target, String event, String url, String method, Form form,
            String idempotencyToken, String authToken) {
    }

    /** A 5xx answer: worth another attempt. */
    private static final class ServerError extends RuntimeException {
        final int status;

        ServerError(int status) {
            super("HTTP " + status, null, false, false);
            this.status = status;
        }
    }

    private final AddressGuard guard;
    private final Ledger ledger;
    private final HttpClient client;
    private final Duration timeout;
    private final Duration retryFor;

    CallbackRelay(Vertx vertx, AddressGuard guard, Ledger ledger, VoicegateConfig config) {
        this.guard = guard;
        this.ledger = ledger;
        this.timeout = config.callbacks().relayTimeout();
        this.retryFor = config.callbacks().relayRetryFor();
        // One request per connection: a caller's server that trickles its answer holds nothing shared.
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setVerifyHost(true)
                .setConnectTimeout((int) timeout.toMillis()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    void deliver(Outgoing out) {
        AtomicInteger attempts = new AtomicInteger();
        // The first pause is a tenth of the retry time (at most 1 s), doubling up to a quarter of it.
        Duration firstPause = max(Duration.ofMillis(10), min(retryFor.dividedBy(10), Duration.ofSeconds(1)));
        guard.check(out.url())
                .flatMap(target -> Uni.createFrom().deferred(() -> {
                    attempts.incrementAndGet();
                    return send(target, out);
                }).onFailure(failure -> !(failure instanceof RefusedTargetException)).retry()
                        .withBackOff(firstPause, max(firstPause, retryFor.dividedBy(4))).expireIn(retryFor.toMillis()))
                .subscribe().with(
                        status -> record(out, status / 100 == 2 ? "delivered" : "failed", attempts.get(), status,
                                status / 100 == 2 ? null : "HTTP " + status + " (not retried)"),
                        failure -> failed(out, attempts.get(), failure));
    }

    private Uni<Integer> send(CheckedTarget target, Outgoing out) {
        boolean get = "GET".equals(out.method() == null ? "POST" : out.method().toUpperCase(Locale.ROOT));
        String fields = out.form().encoded();
        String query = fields.isEmpty() ? "" : (target.requestUri().contains("?") ? "&" : "?") + fields;
        String signature = get ? TwilioSignature.sign(out.authToken(), target.url() + query, Map.of())
                : TwilioSignature.sign(out.authToken(), target.url(), out.form().fields());
        RequestOptions options = target.requestOptions()
                .setMethod(get ? HttpMethod.GET : HttpMethod.POST)
                .setURI(target.requestUri() + (get ? query : ""))
                .setTimeout(timeout.toMillis())
                .putHeader(TwilioSignature.HEADER, signature)
                .putHeader(HttpHeaders.USER_AGENT, "Voicegate (relayed Twilio callback)");
        if (!get) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=utf-8");
        }
        if (out.idempotencyToken() != null) {
            options.putHeader("I-Twilio-Idempotency-Token", out.idempotencyToken());
        }
        if (target.userInfo() != null) {
            String pair = URLDecoder.decode(target.userInfo(), StandardCharsets.UTF_8);
            options.putHeader(HttpHeaders.AUTHORIZATION,
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        Buffer body = get ? Buffer.buffer() : Buffer.buffer(fields);
        return Uni.createFrom().completionStage(() -> client.request(options)
                .compose(request -> request.send(body))
                .map(response -> {
                    // Only the status matters: the connection (never reused) goes, whatever body was coming.
                    response.request().connection().close();
                    return response.statusCode();
                }).toCompletionStage())
                .ifNoItem().after(timeout).fail()
                .map(status -> {
                    if (status >= 500) {
                        throw new ServerError(status);
                    }
                    return status;
                });
    }

    private void failed(Outgoing out, int attempts, Throwable failure) {
        if (failure instanceof RefusedTargetException refused) {
            record(out, "refused", attempts, null, refused.getMessage());
        } else if (failure instanceof ServerError error) {
            record(out, "failed", attempts, error.status, "HTTP " + error.status + " until the retries ran out");
        } else {
            record(out, "failed", attempts, null, "no answer until the retries ran out ("
                    + failure.getClass().getSimpleName() + ")");
        }
    }

    private void record(Outgoing out, String outcome, int attempts, Integer status, String detail) {
        ledger.delivered(out.callSid(),
                new Delivery(out.target(), out.event(), outcome, attempts, status, Instant.now(), detail));
        // The URL is not logged: it may carry credentials.
        LOG.infof("Relayed the %s of %s (%s): %s after %d attempt(s)", out.target(), out.callSid(), out.event(),
                outcome, attempts);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
