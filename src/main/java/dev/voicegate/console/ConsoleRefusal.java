package dev.voicegate.console;

import jakarta.ws.rs.core.Response;

/** A console request refused with a status and a message for the operator, shown as a page. */
final class ConsoleRefusal extends RuntimeException {

    private final Response.Status status;

    ConsoleRefusal(Response.Status status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    Response.Status status() {
        return status;
    }
}
