package dev.voicegate.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.voicegate.twilio.TwilioSignature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends one callback as Twilio does: a form POST (or a GET with the fields in the query string), signed with
 * {@code X-Twilio-Signature} for the exact URL requested, with an {@code I-Twilio-Idempotency-Token} that a retry
 * repeats. Like Twilio's default ({@code #rc=1}), a connection error or a 5xx is retried once; redirects are not
 * followed. The returned future never fails: a lost callback is only logged, as Twilio only loses it.
 */
final class SandboxSender {

    private static final Logger LOG = Logger.getLogger(SandboxSender.class);

    private final HttpClient client;
    private final String authToken;
    private final long timeoutMillis;

    SandboxSender(Vertx vertx, String authToken, Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeoutMillis));
        this.authToken = authToken;
    }

    Future<Void> send(SandboxHooks.Target target, Map<String, String> fields) {
        String url = target.get() ? target.url() + (target.url().contains("?") ? "&" : "?") + form(fields) : target.url();
        Map<String, List<String>> signed = target.get() ? Map.of()
                : fields.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
        RequestOptions options = new RequestOptions()
                .setAbsoluteURI(url)
                .setMethod(target.get() ? HttpMethod.GET : HttpMethod.POST)
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis)
                .putHeader(TwilioSignature.HEADER, TwilioSignature.sign(authToken, url, signed))
                .putHeader("I-Twilio-Idempotency-Token", UUID.randomUUID().toString())
                .putHeader(HttpHeaders.USER_AGENT, "TwilioProxy/1.1");
        Buffer body = target.get() ? null : Buffer.buffer(form(fields));
        if (!target.get()) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        return attempt(options, body)
                .recover(first -> attempt(options, body))
                .recover(last -> {
                    // Host only: a timeout's message would name the path, which may carry anything.
                    String why = last instanceof StatusFailure ? last.getMessage() : last.getClass().getSimpleName();
                    LOG.debugf("Sandbox callback to host %s lost: %s", URI.create(url).getHost(), why);
                    return Future.succeededFuture();
                });
    }

    void close() {
        client.close();
    }

    private Future<Void> attempt(RequestOptions options, Buffer body) {
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().compose(ignored -> outcome(response)));
    }

    private static Future<Void> outcome(HttpClientResponse response) {
        return response.statusCode() >= 500
                ? Future.failedFuture(new StatusFailure(response.statusCode()))
                : Future.succeededFuture();
    }

    /** A 5xx answer, retried like a connection error. */
    private static final class StatusFailure extends RuntimeException {
        StatusFailure(int status) {
            super("HTTP " + status, null, false, false);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
