package dev.voicegate.registry;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The envelope alone, for failures that happen before an action is known (401, 404, 413, …).
 * It validates against every action's output schema.
 */
@RegisterForReflection
@Schema(description = "A refusal: success is false and error is '<category>: <message>'. Action outputs carry the "
        + "same two fields.", requiredProperties = { "success", "error" })
public record Envelope(boolean success, String error) {

    public static Envelope failure(String error) {
        return new Envelope(false, error);
    }
}
