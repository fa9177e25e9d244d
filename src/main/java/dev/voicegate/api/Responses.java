package dev.voicegate.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.registry.Envelope;
import dev.voicegate.voice.ActionResult;

/** Turns action results and failures into HTTP responses: status, {@code Retry-After}, {@code WWW-Authenticate}. */
final class Responses {

    /** The list_calls cursor of the next page, on tool-call responses (the REST endpoint uses {@code Link}). */
    static final String NEXT_PAGE_TOKEN = "Next-Page-Token";
    /** Set when a make_call outcome is replayed for a repeated idempotency key. */
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private Responses() {
    }

    /** A REST listing's next page: a Link header (rel="next") to this request with its page_token; none on the last. */
    static <T> RestResponse.ResponseBuilder<T> linkNext(RestResponse.ResponseBuilder<T> response, UriInfo uri,
            String token) {
        if (token != null) {
            String next = uri.getRequestUriBuilder().replaceQueryParam("page_token", token).build().toString();
            response.header(ApiOutcomes.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response;
    }

    /** An operator listing's next page: its token in Next-Page-Token, and the Link of {@link #linkNext}. */
    static <T> RestResponse.ResponseBuilder<T> nextPage(RestResponse.ResponseBuilder<T> response, UriInfo uri,
            String token) {
        if (token != null) {
            response.header(NEXT_PAGE_TOKEN, token);
        }
        return linkNext(response, uri, token);
    }

    /** A tool-call response: 200 for every handled outcome. */
    static RestResponse<Object> toolCall(ActionResult<?> result) {
        RestResponse.ResponseBuilder<Object> response = RestResponse.ResponseBuilder.ok(result.output());
        if (result.nextPageToken() != null) {
            response.header(NEXT_PAGE_TOKEN, result.nextPageToken());
        }
        return retryAfter(replayed(response, result), result.failure()).build();
    }

    /** A REST response: the status mirrors the outcome. */
    static RestResponse.ResponseBuilder<Object> rest(ActionResult<?> result, int successStatus) {
        RestResponse.ResponseBuilder<Object> response = RestResponse.ResponseBuilder.<Object>create(
                result.httpStatus(successStatus)).entity(result.output());
        return retryAfter(replayed(response, result), result.failure());
    }

    /** The response for a failure outside an action (authentication, unknown action, …). */
    static RestResponse<Envelope> envelope(ActionFailure failure) {
        // Always JSON, also where the caller asked for something else (the media endpoint's audio).
        RestResponse.ResponseBuilder<Envelope> response = RestResponse.ResponseBuilder.<Envelope>create(
                failure.httpStatus()).entity(Envelope.failure(failure.error())).type(MediaType.APPLICATION_JSON_TYPE);
        if (failure.category() == ErrorCategory.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"voicegate\", Basic realm=\"voicegate\"");
        }
        return retryAfter(response, failure).build();
    }

    private static <T> RestResponse.ResponseBuilder<T> replayed(RestResponse.ResponseBuilder<T> response,
            ActionResult<?> result) {
        return result.replayed() ? response.header(IDEMPOTENT_REPLAYED, "true") : response;
    }

    private static <T> RestResponse.ResponseBuilder<T> retryAfter(RestResponse.ResponseBuilder<T> response,
            ActionFailure failure) {
        if (failure != null && failure.retryAfter() != null) {
            long seconds = Math.max(1, (failure.retryAfter().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response;
    }
}
