package dev.voicegate.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import dev.voicegate.registry.Envelope;

/**
 * OpenAPI metadata, the two ways to authenticate (either one; every operation that does not say otherwise) and
 * the envelope that 4xx answers carry (see {@link ApiDocumentFilter}). The servers come from configuration.
 */
@OpenAPIDefinition(info = @Info(title = "Voicegate", version = "1.0",
        description = "A small, safe HTTP API in front of Twilio Programmable Voice. Errors: {success:false, "
                + "error:'<category>: <message>'} with categories invalid_request, unauthorized, forbidden, not_found, "
                + "rate_limited, twilio_error, upstream_unavailable, timeout, outcome_unknown, partial, pending_approval.",
        license = @License(name = "Proprietary", identifier = "LicenseRef-Voicegate-Proprietary")),
        security = { @SecurityRequirement(name = "serviceKey"), @SecurityRequirement(name = "twilioBasic") },
        components = @Components(schemas = @Schema(name = "Envelope", implementation = Envelope.class)))
@SecurityScheme(securitySchemeName = "serviceKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A service API key from SERVICE_API_KEYS: uses the server-side Twilio credentials")
@SecurityScheme(securitySchemeName = "twilioBasic", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "Your own Twilio credentials, AC…:auth token or SK…:API key secret, used for this request only")
public class OpenApiDefinition extends Application {
}
