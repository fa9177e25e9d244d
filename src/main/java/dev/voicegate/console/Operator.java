package dev.voicegate.console;

import dev.voicegate.access.Caller;
import io.quarkus.qute.TemplateData;

/** A signed-in operator: its session and the caller its key is now (role and policy as configured today). */
@TemplateData
public record Operator(Session session, Caller caller, String csrf) {

    public String name() {
        return caller.name();
    }
}
