package dev.voicegate.mcp;

import java.time.Duration;

import org.jboss.logging.Logger;

import dev.voicegate.voice.Confirmation;
import io.quarkiverse.mcp.server.Elicitation;
import io.quarkiverse.mcp.server.ElicitationRequest;
import io.quarkiverse.mcp.server.ElicitationResponse;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * A {@link Confirmation} over MCP form elicitation ({@code elicitation/create}) for a client that declared it: one
 * required boolean {@code approve}. Only the transport is here; what is asked and what an answer means belong to
 * the action.
 */
final class ElicitedConfirmation implements Confirmation {

    static final String APPROVE = "approve";
    private static final Logger LOG = Logger.getLogger(ElicitedConfirmation.class);

    private final Elicitation elicitation;

    private ElicitedConfirmation(Elicitation elicitation) {
        this.elicitation = elicitation;
    }

    /** The client's elicitation when it supports form mode; else {@link Confirmation#NONE}. */
    static Confirmation of(Elicitation elicitation) {
        return elicitation != null && elicitation.isFormModeSupported() ? new ElicitedConfirmation(elicitation)
                : Confirmation.NONE;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String via() {
        return "elicitation";
    }

    @Override
    public Uni<Answer> ask(String message, Duration timeout) {
        ElicitationRequest.BooleanSchema approve = ElicitationRequest.BooleanSchema.builder().setTitle("Approve")
                .setDescription("true places the call; false refuses it").setRequired(true).build();
        return Uni.createFrom().deferred(() -> elicitation.requestBuilder().setMessage(message)
                .addSchemaProperty(APPROVE, approve).setTimeout(timeout).build().send())
                .map(ElicitedConfirmation::answer)
                .onFailure().recoverWithItem(failure -> {
                    if (failure instanceof TimeoutException) {
                        return Answer.TIMED_OUT;
                    }
                    // The session went away or the client answered with an error: nobody said yes.
                    LOG.debugf("An elicitation ended without an answer: %s", failure.getClass().getName());
                    return Answer.CANCELLED;
                });
    }

    private static Answer answer(ElicitationResponse response) {
        return switch (response.action()) {
            case ACCEPT -> response.content() != null && Boolean.TRUE.equals(response.content().getBoolean(APPROVE))
                    ? Answer.APPROVED : Answer.DECLINED;
            case DECLINE -> Answer.DECLINED;
            case CANCEL -> Answer.CANCELLED;
        };
    }
}
