package dev.voicegate.twilio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.voicegate.twilio.limit.LimitReachedException;

/**
 * Turns what Twilio answered, or how a request to it failed, into a {@link TwilioException}: the one place that reads
 * Twilio failures, for the REST client and the media client alike. A refusal of the per-account limiter becomes
 * {@link TwilioException.Throttled} here too, before any guard sees it: never retried, never counted by a breaker.
 */
public final class TwilioFailures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TwilioFailures() {
    }

    /** A non-2xx response of the REST client, with Twilio's error body when it has one. */
    static TwilioException fromResponse(Response response) {
        return classify(response.getStatus(), readBody(response), response.getHeaderString("Retry-After"));
    }

    /**
     * A non-2xx answer from its parts, whichever client received it: the status, the body as text (possibly
     * empty or cut short) and the {@code Retry-After} header (possibly null).
     */
    public static TwilioException classify(int status, String body, String retryAfterHeader) {
        TwilioError error = readError(body);
        Integer code = error == null ? null : error.code();
        String message = error == null || error.message() == null ? "no error body" : error.message();
        Duration retryAfter = retryAfter(retryAfterHeader);
        if (status == 429) {
            return new TwilioException.RateLimited(message, code, retryAfter);
        }
        if (status >= 400 && status < 500) {
            return new TwilioException.Rejected(message, status, code);
        }
        return new TwilioException.ServerError(message, status, code, retryAfter);
    }

    /** Any failure of a request (REST or media client), classified by its cause chain. */
    public static Throwable classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TwilioException twilio) {
                return twilio;
            }
            if (t instanceof LimitReachedException refused) {
                return new TwilioException.Throttled(refused.getMessage());
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new TwilioException.NotConnected("could not connect to Twilio (" + simpleName(t) + ")", t);
            }
            if (t instanceof JsonProcessingException) {
                return new TwilioException.BadResponse("Twilio's response could not be read as JSON", t);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof io.vertx.core.VertxException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return new TwilioException.ConnectionLost("connection to Twilio failed (" + simpleName(t) + ")", t);
            }
        }
        return failure;
    }

    private static String readBody(Response response) {
        try {
            return response.readEntity(String.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static TwilioError readError(String text) {
        try {
            return text == null || text.isBlank() ? null : JSON.readValue(text, TwilioError.class);
        } catch (RuntimeException | IOException e) {
            return null;
        }
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static String simpleName(Throwable t) {
        return t.getClass().getSimpleName();
    }
}
