package dev.voicegate.callback;

import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
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
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

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
        // Each attempt resolves and checks the name again, and connects to the address it checked.
        Uni.createFrom().deferred(() -> guard.check(out.url()))
                .flatMap(target -> {
                    attempts.incrementAndGet();
                    return send(target, out);
                })
                .onFailure(failure -> !(failure instanceof RefusedTargetException)).retry()
                .withBackOff(firstPause, max(firstPause, retryFor.dividedBy(4))).expireIn(retryFor.toMillis())
                .subscribe().with(
                        status -> record(out, status / 100 == 2 ? "delivered" : "failed", attempts.get(), status,
                                status / 100 == 2 ? null : "HTTP " + status + " (not retried)"),
                        failure -> failed(out, attempts.get(), failure));
    }

    private Uni<Integer> send(CheckedTarget target, Outgoing out) {
        Outgoing.Request request = out.request(target, timeout.toMillis());
        return Uni.createFrom().completionStage(() -> client.request(request.options())
                .compose(sending -> sending.send(request.body()))
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
        } else if (failure instanceof UncheckedIOException && failure.getCause() instanceof UnknownHostException) {
            record(out, "failed", attempts, null, "the host did not resolve until the retries ran out");
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
