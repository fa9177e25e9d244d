package dev.voicegate.api;

import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.voicegate.Redact;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.ledger.LedgerUnavailableException;
import dev.voicegate.registry.Envelope;

/** The one place where exceptions become HTTP: always the envelope, never a stack trace. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public RestResponse<Envelope> action(ActionException e) {
        return Responses.envelope(e.failure());
    }

    /** The ledger's store could not answer a read: 503, as for the other stores behind Redis. */
    @ServerExceptionMapper
    public RestResponse<Envelope> ledger(LedgerUnavailableException e) {
        LOG.warnf("The call ledger could not be read: %s", Redact.phonesIn(e.getMessage()));
        return Responses.envelope(new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the call ledger's store is "
                + "unreachable; nothing was read. Retrying later may help.", 503, null));
    }

    @ServerExceptionMapper
    public RestResponse<Envelope> http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ActionFailure failure = switch (status) {
            case 404 -> new ActionFailure(ErrorCategory.NOT_FOUND, "no such endpoint; see /q/openapi. Retrying will not help.");
            case 405 -> new ActionFailure(ErrorCategory.INVALID_REQUEST, "this endpoint does not accept that HTTP method. "
                    + "Retrying will not help.", 405, null);
            case 413 -> new ActionFailure(ErrorCategory.INVALID_REQUEST, "the request body is larger than 64 KiB. "
                    + "Retrying will not help.", 413, null);
            case 415 -> new ActionFailure(ErrorCategory.INVALID_REQUEST, "send the parameters as application/json. "
                    + "Retrying as is will not help.", 415, null);
            default -> status >= 500 ? internal() : new ActionFailure(ErrorCategory.INVALID_REQUEST,
                    "the request was rejected (HTTP " + status + "). Retrying as is will not help.", status, null);
        };
        return Responses.envelope(failure);
    }

    @ServerExceptionMapper
    public RestResponse<Envelope> unexpected(Throwable e) {
        LOG.error("Unexpected failure while handling a request", e);
        return Responses.envelope(internal());
    }

    private static ActionFailure internal() {
        return new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "Voicegate failed unexpectedly; nothing is known "
                + "to have been sent to Twilio. Retrying later may help.", 500, null);
    }
}
