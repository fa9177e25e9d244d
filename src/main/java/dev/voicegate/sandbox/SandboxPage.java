package dev.voicegate.sandbox;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.voicegate.Sid;

/**
 * One page of a newest-first list, cut the way Twilio pages: {@code PageToken=PA<sid>} continues after the
 * item with that sid (older items), {@code PB<sid>} goes back to the page just before it (newer items).
 * Without a token, {@code Page * PageSize} items are skipped.
 *
 * @param sidOf the sid that names an item in page tokens (call sid or recording sid)
 */
record SandboxPage(List<SandboxCall> items, Request request, Function<SandboxCall, String> sidOf, boolean hasNext) {

    private static final Pattern TOKEN = Pattern.compile("P[AB]" + Sid.ANY_REGEX);

    /** The paging parameters of one list request, validated as Twilio documents them. */
    record Request(int pageSize, int page, String token) {

        static final int DEFAULT_SIZE = 50;
        static final int MAX_SIZE = 1000;

        Request {
            if (pageSize < 1 || pageSize > MAX_SIZE) {
                throw SandboxError.invalidParameter("PageSize must be between 1 and " + MAX_SIZE);
            }
            if (page < 0) {
                throw SandboxError.invalidParameter("Page must be 0 or greater");
            }
            if (token != null && !TOKEN.matcher(token).matches()) {
                throw SandboxError.invalidParameter("Invalid PageToken");
            }
        }

        static Request parse(String pageSize, String page, String token) {
            return new Request(integer("PageSize", pageSize, DEFAULT_SIZE), integer("Page", page, 0), token);
        }

        static Request first(int pageSize) {
            return new Request(pageSize, 0, null);
        }

        private static int integer(String name, String value, int fallback) {
            if (value == null || value.isEmpty()) {
                return fallback;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw SandboxError.invalidParameter(name + " must be an integer");
            }
        }
    }

    /**
     * @param newestFirst every matching item, ordered by descending {@link SandboxCall#seq()}
     * @param seqOfSid the creation order of the item a token names; empty when it is no longer stored, which
     *     means it was evicted as the oldest, so it sorts after everything still stored
     */
    static SandboxPage of(List<SandboxCall> newestFirst, Request request, Function<SandboxCall, String> sidOf,
            Function<String, OptionalLong> seqOfSid) {
        int size = newestFirst.size();
        int from;
        int to;
        if (request.token() == null) {
            from = (int) Math.min((long) request.page() * request.pageSize(), size);
            to = Math.min(from + request.pageSize(), size);
        } else {
            long seq = seqOfSid.apply(request.token().substring(2)).orElse(-1);
            if (request.token().startsWith("PA")) {
                from = firstIndex(newestFirst, seq, false);
                to = Math.min(from + request.pageSize(), size);
            } else {
                to = firstIndex(newestFirst, seq, true);
                from = Math.max(0, to - request.pageSize());
            }
        }
        return new SandboxPage(List.copyOf(newestFirst.subList(from, to)), request, sidOf, to < size);
    }

    /** Index of the first item older than {@code seq}, or also the item {@code seq} itself if inclusive. */
    private static int firstIndex(List<SandboxCall> newestFirst, long seq, boolean inclusive) {
        for (int i = 0; i < newestFirst.size(); i++) {
            long s = newestFirst.get(i).seq();
            if (s < seq || (inclusive && s == seq)) {
                return i;
            }
        }
        return newestFirst.size();
    }

    int start() {
        return request.page() * request.pageSize();
    }

    /** Twilio's {@code end}: index of the last item shown, equal to {@code start} on an empty page. */
    int end() {
        return items.isEmpty() ? start() : start() + items.size() - 1;
    }

    /**
     * The envelope fields. {@code path} is the Twilio path without query; {@code filters} the already encoded
     * filter parameters ({@code "To=%2B1...&"}, each ending in {@code &}), repeated in every link as Twilio does.
     */
    SandboxWire.PageMeta meta(String path, String filters) {
        String base = path + "?" + filters + "PageSize=" + request.pageSize() + "&Page=";
        String self = base + request.page() + (request.token() == null ? "" : "&PageToken=" + request.token());
        String next = hasNext && !items.isEmpty()
                ? base + (request.page() + 1) + "&PageToken=PA" + sidOf.apply(items.get(items.size() - 1))
                : null;
        String previous = null;
        if (request.page() > 0) {
            previous = base + (request.page() - 1)
                    + (items.isEmpty() ? "" : "&PageToken=PB" + sidOf.apply(items.get(0)));
        }
        return new SandboxWire.PageMeta(request.page(), request.pageSize(), start(), end(), self, base + 0, next,
                previous);
    }
}
