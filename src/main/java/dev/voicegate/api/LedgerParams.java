package dev.voicegate.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.Redact;
import dev.voicegate.Sid;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.ledger.LedgerEntry;
import dev.voicegate.ledger.LedgerQuery;
import dev.voicegate.voice.Rules;

/**
 * The query of {@code GET /v1/ledger/calls}, read as strictly as list_calls' ({@link StrictQuery}: an unknown or
 * repeated name is refused) and checked whole before the ledger is read, each error naming the parameter.
 */
final class LedgerParams {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    /** A key's name as the ledger holds it: a named key, {@code SERVICE_API_KEYS[n]} or {@code pass-through}. */
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_\\-\\[\\]]{1,64}$");
    /** The ledgers' page tokens are short URL-safe Base64; anything else is refused before the ledger sees it. */
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_=-]{1,512}$");
    /** Twilio's call statuses, and what an entry without one shows: its outcome ({@code pending}, a category). */
    static final Set<String> STATUSES = Stream.concat(Stream.of("queued", "initiated", "ringing", "in-progress",
            "completed", "busy", "failed", "no-answer", "canceled", LedgerEntry.PENDING, LedgerEntry.PLACED),
            Arrays.stream(ErrorCategory.values())
                    // Never an attempt's outcome: partial is a read's, and a call pending approval is not attempted.
                    .filter(c -> c != ErrorCategory.PARTIAL && c != ErrorCategory.PENDING_APPROVAL).map(ErrorCategory::wire))
            .collect(Collectors.toCollection(TreeSet::new));

    static final StrictQuery QUERY = new StrictQuery(
            StrictQuery.text("account_sid", "Only this account's calls (AC…)"),
            StrictQuery.text("key", "Only calls of this key: its name, SERVICE_API_KEYS[n] or pass-through"),
            StrictQuery.text("status", "Current status (queued, ringing, in-progress, completed, busy, failed, no-answer, "
                    + "canceled…), or for an entry without one its outcome (pending, outcome_unknown, twilio_error…)"),
            StrictQuery.text("to", "Only calls to this E.164 number"),
            StrictQuery.text("since", "ISO-8601 instant, e.g. 2024-05-01T00:00:00Z: attempted at or after it"),
            StrictQuery.text("until", "ISO-8601 instant: attempted before it; later than 'since'"),
            StrictQuery.integer("page_size", "1-200, default 50", 1, MAX_PAGE_SIZE),
            StrictQuery.text("page_token", "next_page_token of the previous page, as it is"));

    private LedgerParams() {
    }

    /** The listing a query string asks for, or {@code invalid_request} naming the parameter at fault. */
    static LedgerQuery read(Map<String, List<String>> query) {
        ObjectNode params = QUERY.read(query);
        params.fields().forEachRemaining(field -> {
            if (field.getValue().isTextual()) {
                Rules.text(field.getKey(), field.getValue().asText());
            }
        });
        String accountSid = text(params, "account_sid");
        Rules.sid("account_sid", accountSid, Sid.ACCOUNT);
        String key = text(params, "key");
        Rules.matches("key", key, KEY, "a key's name: letters, digits, '_', '-', '[', ']' (at most 64)");
        String status = text(params, "status");
        Rules.oneOf("status", status, STATUSES);
        String to = text(params, "to");
        Rules.phoneNumber("to", to);
        Instant since = instant("since", text(params, "since"));
        Instant until = instant("until", text(params, "until"));
        if (since != null && until != null && !since.isBefore(until)) {
            throw ActionException.invalid("'since' must be earlier than 'until'");
        }
        Integer pageSize = params.has("page_size") ? params.get("page_size").asInt() : null;
        Rules.between("page_size", pageSize, 1, MAX_PAGE_SIZE);
        String pageToken = text(params, "page_token");
        if (pageToken != null && !TOKEN.matcher(pageToken).matches()) {
            throw badToken();
        }
        return new LedgerQuery(accountSid, key, status, to, since, until,
                pageSize == null ? DEFAULT_PAGE_SIZE : pageSize, pageToken);
    }

    /** Whether the text has the shape of a ledger page token (the ledger still checks it is one of its own). */
    static boolean isToken(String text) {
        return TOKEN.matcher(text).matches();
    }

    /** A page token the ledger did not make. */
    static ActionException badToken() {
        return ActionException.invalid("'page_token' is not a page token of the call ledger; pass the previous page's "
                + "next_page_token as it is");
    }

    /** The listing for the audit trail: the filters given, the number masked. */
    static String describe(LedgerQuery query) {
        StringBuilder target = new StringBuilder("calls?page_size=").append(query.pageSize());
        append(target, "account_sid", query.accountSid());
        append(target, "key", query.key());
        append(target, "status", query.status());
        append(target, "to", Redact.phone(query.to()));
        append(target, "since", query.since());
        append(target, "until", query.until());
        append(target, "page_token", query.cursor());
        return target.toString();
    }

    private static void append(StringBuilder target, String name, Object value) {
        if (value != null) {
            target.append('&').append(name).append('=').append(value);
        }
    }

    private static String text(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        return value == null ? null : value.asText();
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ActionException.invalid("'" + name + "' must be an ISO-8601 instant with a time zone, e.g. "
                    + "2024-05-01T12:00:00Z");
        }
    }
}
