package dev.voicegate.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.voicegate.config.VoicegateConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerResponse;

/**
 * Every answer under {@code /console}, pages and static files alike: a strict Content-Security-Policy (scripts,
 * styles and media from this origin only, no inline script, no framing), {@code X-Frame-Options: DENY}, no caching;
 * or 404 for all of it when {@code CONSOLE_ENABLED=false}.
 */
@ApplicationScoped
class ConsoleHeaders {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    void register(@Observes Filters filters, VoicegateConfig config) {
        boolean enabled = config.console().enabled();
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (!path.equals(Sessions.PATH) && !path.startsWith(Sessions.PATH + "/")) {
                rc.next();
                return;
            }
            if (!enabled) {
                rc.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found");
                return;
            }
            HttpServerResponse response = rc.response();
            response.putHeader("Content-Security-Policy", CSP);
            response.putHeader("X-Frame-Options", "DENY");
            response.putHeader("X-Content-Type-Options", "nosniff");
            response.putHeader("Referrer-Policy", "same-origin");
            response.putHeader("Cache-Control", "no-store");
            rc.next();
        }, 100);
    }
}
