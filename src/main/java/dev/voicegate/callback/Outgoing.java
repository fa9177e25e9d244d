package dev.voicegate.callback;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import dev.voicegate.outbound.CheckedTarget;
import dev.voicegate.twilio.TwilioSignature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One callback to relay to the caller's URL: {@code target} names the parameter the URL came from
 * ({@code status_callback}, {@code recording_status_callback}), {@code event} the status it reports.
 */
record Outgoing(String callSid, String target, String event, String url, String method, Form form,
        String idempotencyToken, String authToken) {

    /** A request ready to send: where and how, and its body. */
    record Request(RequestOptions options, Buffer body) {
    }

    /**
     * The request as Twilio would send it to the checked target: a form POST, or a GET with the fields in the query,
     * signed for the caller's URL (for a GET, the URL with that query).
     */
    Request request(CheckedTarget checked, long timeoutMs) {
        boolean get = "GET".equals(method == null ? "POST" : method.toUpperCase(Locale.ROOT));
        String fields = form.encoded();
        String query = fields.isEmpty() ? "" : (checked.requestUri().contains("?") ? "&" : "?") + fields;
        String signature = get ? TwilioSignature.sign(authToken, checked.url() + query, Map.of())
                : TwilioSignature.sign(authToken, checked.url(), form.fields());
        RequestOptions options = checked.requestOptions()
                .setMethod(get ? HttpMethod.GET : HttpMethod.POST)
                .setURI(checked.requestUri() + (get ? query : ""))
                .setTimeout(timeoutMs)
                .putHeader(TwilioSignature.HEADER, signature)
                .putHeader(HttpHeaders.USER_AGENT, "Voicegate (relayed Twilio callback)");
        if (!get) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=utf-8");
        }
        if (idempotencyToken != null) {
            options.putHeader("I-Twilio-Idempotency-Token", idempotencyToken);
        }
        if (checked.userInfo() != null) {
            String pair = URLDecoder.decode(checked.userInfo(), StandardCharsets.UTF_8);
            options.putHeader(HttpHeaders.AUTHORIZATION,
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return new Request(options, get ? Buffer.buffer() : Buffer.buffer(fields));
    }

    @Override
    public String toString() {
        // Neither the URL (it may carry credentials) nor the token.
        return "Outgoing[" + target + " of " + callSid + ", " + event + "]";
    }
}
