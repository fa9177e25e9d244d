package dev.voicegate.callback;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.twilio.TwilioSignature;
import io.smallrye.common.annotation.NonBlocking;

/**
 * Twilio's callbacks: {@code POST /twilio/callbacks/status} and {@code /recording}. No service key: Twilio signs
 * them instead ({@link Signatures}). Anything not form-encoded (415), too large (413), unsigned or wrongly signed
 * (403) is refused with no detail and changes nothing. A verified callback is answered at once with empty TwiML; what
 * it changes happens afterwards ({@link CallbackEvents}), since Twilio waits 15 s at most.
 */
@Path("/twilio/callbacks")
public class CallbackResource {

    private static final Logger LOG = Logger.getLogger(CallbackResource.class);
    private static final String IDEMPOTENCY_TOKEN = "I-Twilio-Idempotency-Token";
    private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private final Signatures signatures;
    private final CallbackEvents events;
    private final CallbackMetrics metrics;
    private final int maxBodyBytes;

    CallbackResource(Signatures signatures, CallbackEvents events, CallbackMetrics metrics, VoicegateConfig config) {
        this.signatures = signatures;
        this.events = events;
        this.metrics = metrics;
        this.maxBodyBytes = config.callbacks().maxBodyBytes();
    }

    @POST
    @Path("status")
    @NonBlocking
    @Operation(hidden = true)
    public Response status(@RestHeader(TwilioSignature.HEADER) String signature,
            @RestHeader("Content-Type") String contentType, @RestHeader(IDEMPOTENCY_TOKEN) String token,
            @Context UriInfo uri, byte[] body) {
        return receive(signature, contentType, uri, body, form -> CallbackMetrics.callEvent(form.first("CallStatus")),
                (form, authToken) -> events.status(form, token, authToken));
    }

    @POST
    @Path("recording")
    @NonBlocking
    @Operation(hidden = true)
    public Response recording(@RestHeader(TwilioSignature.HEADER) String signature,
            @RestHeader("Content-Type") String contentType, @RestHeader(IDEMPOTENCY_TOKEN) String token,
            @Context UriInfo uri, byte[] body) {
        return receive(signature, contentType, uri, body,
                form -> CallbackMetrics.recordingEvent(form.first("RecordingStatus")),
                (form, authToken) -> events.recording(form, token, authToken));
    }

    private Response receive(String signature, String contentType, UriInfo uri, byte[] body,
            Function<Form, String> event, BiConsumer<Form, String> accepted) {
        if (!formEncoded(contentType)) {
            return rejected("other", 415, "not form-encoded");
        }
        byte[] bytes = body == null ? new byte[0] : body; // no body at all
        if (bytes.length > maxBodyBytes) {
            return rejected("other", 413, "too large");
        }
        Form form;
        try {
            form = Form.parse(bytes);
        } catch (IllegalArgumentException e) {
            return rejected("other", 403, "not a well-formed form");
        }
        String path = uri.getRequestUri().getRawPath();
        Optional<String> authToken = signatures.verify(signature, path, uri.getRequestUri().getRawQuery(), form);
        if (authToken.isEmpty()) {
            return rejected(event.apply(form), 403, signatures.enabled()
                    ? (signature == null ? "unsigned" : "signature does not match, or no webhook token for the account")
                    : "callbacks are off (no PUBLIC_URL)");
        }
        accepted.accept(form, authToken.get());
        return Response.ok(EMPTY_TWIML, MediaType.TEXT_XML_TYPE).build();
    }

    private Response rejected(String event, int status, String why) {
        metrics.count(event, CallbackMetrics.REJECTED);
        // At DEBUG, since anyone can send these (the metric counts them); never the signature, token or fields.
        LOG.debugf("Refused a Twilio callback (%d): %s", status, why);
        return Response.status(status).build();
    }

    private static boolean formEncoded(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            return "application".equalsIgnoreCase(type.getType())
                    && "x-www-form-urlencoded".equalsIgnoreCase(type.getSubtype());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
