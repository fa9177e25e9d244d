package dev.voicegate.voice;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.voicegate.failure.ActionException;
import dev.voicegate.twilio.PageCursor;

/**
 * The opaque {@code page_token} of list_calls: Twilio's {@code Page} and {@code PageToken}, base64url-encoded
 * so that callers treat it as a cursor and cannot smuggle other query parameters through it.
 */
public final class PageTokens {

    private PageTokens() {
    }

    public static String encode(PageCursor cursor) {
        String plain = (cursor.page() == null ? "" : cursor.page().toString()) + ":" + cursor.pageToken();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String token) {
        try {
            // The contract's pattern: base64url without padding, which Java's decoder would also accept.
            if (!token.matches("[A-Za-z0-9_-]{1,512}")) {
                throw new IllegalArgumentException("not base64url");
            }
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            String page = plain.substring(0, colon);
            String pageToken = plain.substring(colon + 1);
            if (!PageCursor.PAGE_TOKEN.matcher(pageToken).matches() || !page.matches("\\d{0,6}")) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new PageCursor(page.isEmpty() ? null : Integer.valueOf(page), pageToken);
        } catch (RuntimeException e) {
            throw ActionException.invalid("'page_token' is not a cursor from a previous list_calls page");
        }
    }
}
