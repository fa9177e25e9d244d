package dev.voicegate.callback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.access.TwilioAccounts;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.twilio.TwilioSignature;

/**
 * Checks {@code X-Twilio-Signature} on a callback: keyed with the Auth Token of the posted {@code AccountSid}, over
 * the URL Twilio requested. That URL is the configured public URL (behind an ingress the request's own Host and
 * {@code X-Forwarded-*} headers are wrong, and anyone can send them) with the request's path and query. Twilio drops
 * the port of HTTPS voice callbacks before signing and keeps it for HTTP: the URL with and without its default port
 * are both accepted.
 */
@ApplicationScoped
class Signatures {

    private final Optional<String> publicUrl;
    private final TwilioAccounts accounts;

    Signatures(VoicegateConfig config, TwilioAccounts accounts) {
        this.publicUrl = config.callbacks().publicUrl().map(String::trim).filter(url -> !url.isEmpty())
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.accounts = accounts;
    }

    /** Whether callbacks are on: the public URL is configured. */
    boolean enabled() {
        return publicUrl.isPresent();
    }

    /**
     * The Auth Token the form was signed with, when the signature is right for it; empty for a callback that is
     * unsigned, wrongly signed, for an account without a webhook token, or when callbacks are off.
     */
    Optional<String> verify(String signature, String rawPath, String rawQuery, Form form) {
        if (publicUrl.isEmpty() || signature == null) {
            return Optional.empty();
        }
        Optional<String> token = accounts.webhookToken(form.first("AccountSid"));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String url = publicUrl.get() + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
        boolean matches = false;
        for (String variant : portVariants(url)) {
            // Both are computed whatever the first gives: the time taken says nothing about which one matched.
            matches |= TwilioSignature.matches(signature, token.get(), variant, form.fields());
        }
        return matches ? token : Optional.empty();
    }

    /** The URL as configured, and the same with its default port added or dropped. */
    static List<String> portVariants(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int standard = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            if (standard == -1 || uri.getRawAuthority() == null || uri.getHost() == null) {
                return List.of(url);
            }
            String authority = uri.getRawAuthority();
            String prefix = uri.getScheme() + "://";
            String rest = url.substring(prefix.length() + authority.length());
            if (uri.getPort() == -1) {
                return List.of(url, prefix + authority + ":" + standard + rest);
            }
            if (uri.getPort() == standard) {
                String bare = authority.substring(0, authority.length() - (":" + standard).length());
                return List.of(url, prefix + bare + rest);
            }
            return List.of(url);
        } catch (URISyntaxException e) {
            return List.of(url);
        }
    }
}
