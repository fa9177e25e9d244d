package dev.voicegate.console;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/** The console's refusals as pages, and a missing session as a redirect to sign-in (303: the next request is a GET). */
public class ConsoleErrors {

    @Location("console/refused.html")
    Template refused;

    @ServerExceptionMapper
    public Response signIn(ConsoleAccess.SignInRequired e) {
        return Response.seeOther(ConsoleAccess.SIGN_IN).build();
    }

    @ServerExceptionMapper
    public Response refusal(ConsoleRefusal e) {
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(refused.data("status", e.status().getStatusCode()).data("message", e.getMessage()).render())
                .build();
    }
}
