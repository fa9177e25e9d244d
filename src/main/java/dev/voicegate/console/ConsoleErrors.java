package dev.voicegate.console;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/** The console's refusals as pages, and a missing session as a redirect to sign-in (303: the next request is a GET). */
public class ConsoleErrors {

    @Location("console/refused.html")
    Template refused;

    /** htmx would follow a redirect and swap the sign-in page into the table: it is told to load it instead. */
    @ServerExceptionMapper
    public Response signIn(ConsoleAccess.SignInRequired e, HttpHeaders headers) {
        if ("true".equals(headers.getHeaderString("HX-Request"))) {
            return Response.status(Response.Status.UNAUTHORIZED).header("HX-Redirect", ConsoleAccess.SIGN_IN.toString()).build();
        }
        return Response.seeOther(ConsoleAccess.SIGN_IN).build();
    }

    @ServerExceptionMapper
    public Response refusal(ConsoleRefusal e) {
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(refused.data("status", e.status().getStatusCode()).data("message", e.getMessage()).render())
                .build();
    }
}
