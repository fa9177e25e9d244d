package dev.voicegate.twilio;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where the next page of a Twilio list starts: the {@code Page} and {@code PageToken} from its
 * {@code next_page_uri}. Only these two values are taken from Twilio's link, never its host or path.
 */
public record PageCursor(Integer page, String pageToken) {

    /** Twilio's page tokens are {@code PA} plus a SID-like suffix; anything else is refused. */
    public static final Pattern PAGE_TOKEN = Pattern.compile("^PA[A-Za-z0-9]{1,64}$");

    /** The cursor in a {@code next_page_uri}, or null when there is no next page or it is unusable. */
    public static PageCursor fromNextPageUri(String nextPageUri) {
        if (nextPageUri == null || nextPageUri.isBlank()) {
            return null;
        }
        String query;
        try {
            query = URI.create(nextPageUri.trim()).getRawQuery();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (query == null) {
            return null;
        }
        Integer page = null;
        String token = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("PageToken")) {
                token = value;
            } else if (name.equals("Page")) {
                page = parsePage(value);
            }
        }
        return token != null && PAGE_TOKEN.matcher(token).matches() ? new PageCursor(page, token) : null;
    }

    private static Integer parsePage(String value) {
        try {
            int page = Integer.parseInt(value);
            return page >= 0 ? page : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
