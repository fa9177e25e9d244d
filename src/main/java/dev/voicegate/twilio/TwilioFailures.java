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

/** Turns what the REST client reports into a {@link TwilioException}: the one place that reads Twilio failures. */
final class TwilioFailures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TwilioFailures() {
    }

    /** A non-2xx response, with Twilio's error body when it has one. */
    static TwilioException fromResponse(Response response) {
        int status = response.getStatus();
        TwilioError body = readError(response);
        Integer code = body == null ? null : body.code();
        String message = body == null || body.message() == null ? "no error body" : body.message();
        Duration retryAfter = retryAfter(response.getHeaderString("Retry-After"));
        if (status == 429) {
            return new TwilioException.RateLimited(message, code, retryAfter);
        }
        if (status >= 400 && status < 500) {
            return new TwilioException.Rejected(message, status, code);
        }
        return new TwilioException.ServerError(message, status, code, retryAfter);
    }

    /** Any failure from the REST client, classified by its cause chain. */
    static Throwable classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TwilioException twilio) {
                return twilio;
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

    private static TwilioError readError(Response response) {
        try {
            String text = response.readEntity(String.class);
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
