package dev.voicegate.voice;

import java.time.Duration;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioException;

/**
 * The one place where a failure becomes an {@link ActionFailure}: category, message and advice.
 * Placing a call is special: once Twilio may have received the request, the outcome is unknown,
 * never "failed", because sending it again could ring a phone twice.
 */
public final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);

    private static final Duration OWN_LIMIT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final String RETRY_LATER = "Retrying later may help.";
    private static final String DO_NOT_RETRY = "Retrying will not help.";
    private static final String CHECK_BEFORE_RETRY = "The call may have been placed: check with list_calls "
            + "(filter by to and from) before placing it again.";

    private Failures() {
    }

    /**
     * @param failure   what went wrong
     * @param subject   what was asked of Twilio, e.g. "the recording"
     * @param placesCall whether the request creates a call (non-idempotent)
     */
    public static ActionFailure of(Throwable failure, String subject, boolean placesCall) {
        if (failure instanceof ActionException action) {
            return action.failure();
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "Twilio has been failing, so Voicegate "
                    + "is not sending requests for " + subject + " for a few seconds (circuit open); nothing was sent. "
                    + RETRY_LATER);
        }
        if (failure instanceof TimeoutException) {
            return placesCall
                    ? new ActionFailure(ErrorCategory.OUTCOME_UNKNOWN, "Twilio did not answer in time. "
                            + CHECK_BEFORE_RETRY, 504, null)
                    : new ActionFailure(ErrorCategory.TIMEOUT, "Twilio did not answer in time for " + subject
                            + ", also after retries. " + RETRY_LATER);
        }
        if (failure instanceof TwilioException twilio) {
            return fromTwilio(twilio, subject, placesCall);
        }
        LOG.errorf(failure, "Unexpected failure while requesting %s", subject);
        return placesCall
                ? new ActionFailure(ErrorCategory.OUTCOME_UNKNOWN, "an unexpected error occurred. " + CHECK_BEFORE_RETRY)
                : new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "an unexpected error occurred while "
                        + "requesting " + subject + ". " + RETRY_LATER);
    }

    private static ActionFailure fromTwilio(TwilioException twilio, String subject, boolean placesCall) {
        String quoted = quote(twilio);
        if (twilio instanceof TwilioException.Rejected) {
            return switch (twilio.httpStatus()) {
                case 401 -> new ActionFailure(ErrorCategory.UNAUTHORIZED, "Twilio rejected the credentials for this "
                        + "account (" + quoted + "). Check the Account SID and token or API key; " + DO_NOT_RETRY);
                case 403 -> new ActionFailure(ErrorCategory.FORBIDDEN, "Twilio refused access to " + subject + " ("
                        + quoted + "). " + DO_NOT_RETRY);
                case 404 -> new ActionFailure(ErrorCategory.NOT_FOUND, "Twilio has no " + subject.replace("the ", "")
                        + " with that SID in this account (" + quoted + "). " + DO_NOT_RETRY);
                default -> new ActionFailure(ErrorCategory.TWILIO_ERROR, quoted + ". " + DO_NOT_RETRY
                        + " Fix the request first.");
            };
        }
        if (twilio instanceof TwilioException.Throttled) {
            // Our own limit, not Twilio's: nothing was sent, so a prompt retry is safe, also for make_call.
            String sent = placesCall ? " The call was not placed." : " Nothing was sent to Twilio.";
            return new ActionFailure(ErrorCategory.RATE_LIMITED, twilio.getMessage() + "." + sent
                    + " Retry after 1 s.", 429, OWN_LIMIT_RETRY_AFTER);
        }
        if (twilio instanceof TwilioException.RateLimited) {
            Duration wait = twilio.retryAfter().orElse(null);
            String when = wait == null ? "Retry in a few seconds." : "Retry after " + Math.max(1, wait.toSeconds()) + " s.";
            String sent = placesCall ? " The call was not placed." : "";
            return new ActionFailure(ErrorCategory.RATE_LIMITED, "Twilio's concurrency limit for this account was "
                    + "reached (" + quoted + ")." + sent + " " + when, 429, wait);
        }
        if (twilio instanceof TwilioException.NotConnected) {
            String sent = placesCall ? "; the call was not placed" : "";
            return new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "could not connect to Twilio" + sent + ". "
                    + RETRY_LATER);
        }
        String what = twilio instanceof TwilioException.ServerError
                ? "Twilio answered with an error (" + quoted + ")"
                : twilio instanceof TwilioException.BadResponse
                        ? "Twilio's answer could not be read"
                        : "the connection to Twilio failed";
        if (placesCall) {
            return new ActionFailure(ErrorCategory.OUTCOME_UNKNOWN, what + " after the request was sent. "
                    + CHECK_BEFORE_RETRY);
        }
        return new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, what + " while requesting " + subject
                + ", also after retries. " + RETRY_LATER, 502, twilio.retryAfter().orElse(null));
    }

    /** {@code "Twilio error 21211 (HTTP 400): Invalid 'To' Phone Number: ***1234"}. */
    private static String quote(TwilioException twilio) {
        StringBuilder text = new StringBuilder("Twilio error");
        twilio.code().ifPresent(code -> text.append(' ').append(code));
        if (twilio.httpStatus() > 0) {
            text.append(" (HTTP ").append(twilio.httpStatus()).append(')');
        }
        String message = twilio.getMessage() == null ? "" : twilio.getMessage().strip();
        // Twilio's messages often end with a full stop; ours add their own sentence after the quote.
        while (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        return text.append(": ").append(message).toString();
    }
}
