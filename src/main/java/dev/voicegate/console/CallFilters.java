package dev.voicegate.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MultivaluedMap;

import dev.voicegate.Sid;
import dev.voicegate.ledger.LedgerQuery;
import io.quarkus.qute.TemplateData;

/**
 * The filters of the calls page, as the form sends them: key, account, status and a time range (the form's
 * {@code datetime-local} values are UTC, or an ISO-8601 instant), and the page's cursor. A value that does not fit is
 * dropped and named in {@link #errors()}, so the page still shows, unfiltered by it.
 */
@TemplateData
public record CallFilters(String key, String account, String status, String since, String until, String page,
        List<String> errors) {

    static final int PAGE_SIZE = 50;
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_\\-\\[\\]]{1,64}$");
    private static final Pattern STATUS = Pattern.compile("^[a-z_-]{1,32}$");
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_=-]{1,512}$");

    static CallFilters read(MultivaluedMap<String, String> query) {
        List<String> errors = new ArrayList<>();
        String key = check(query.getFirst("key"), KEY.asPredicate(), "key", errors);
        String account = check(query.getFirst("account"), Sid.ACCOUNT::matches, "account", errors);
        String status = check(query.getFirst("status"), STATUS.asPredicate(), "status", errors);
        String since = check(query.getFirst("since"), value -> instant(value) != null, "since", errors);
        String until = check(query.getFirst("until"), value -> instant(value) != null, "until", errors);
        String page = check(query.getFirst("page"), TOKEN.asPredicate(), "page", errors);
        return new CallFilters(key, account, status, since, until, page, List.copyOf(errors));
    }

    LedgerQuery query() {
        return new LedgerQuery(account, key, status, null, instant(since), instant(until), PAGE_SIZE, page);
    }

    /** The filters (not the page) as a query string, for the next page's link and the live refresh. */
    public String queryString() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("key", key);
        values.put("account", account);
        values.put("status", status);
        values.put("since", since);
        values.put("until", until);
        StringBuilder text = new StringBuilder();
        values.forEach((name, value) -> {
            if (value != null) {
                text.append(text.isEmpty() ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return text.toString();
    }

    /** The link to the page after this one. */
    String next(String cursor) {
        String filters = queryString();
        return "/console/calls?" + (filters.isEmpty() ? "" : filters + "&") + "page="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }

    public boolean firstPage() {
        return page == null;
    }

    private static String check(String value, java.util.function.Predicate<String> valid, String name,
            List<String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (!valid.test(trimmed)) {
            errors.add("The filter '" + name + "' was not understood and is left out.");
            return null;
        }
        return trimmed;
    }

    /** A datetime-local value (UTC) or an ISO-8601 instant; null when neither. */
    static Instant instant(String value) {
        if (value == null || value.length() > 40) {
            return null;
        }
        try {
            return value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$") ? Instant.from(
                    java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value))
                    : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
