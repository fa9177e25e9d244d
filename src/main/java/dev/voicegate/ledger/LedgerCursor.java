package dev.voicegate.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque page token of a ledger listing: where the previous page stopped. In memory, the position of the last entry
 * returned; in Redis, a {@link Mark}: the time score and id of the last index member looked at. A page of control
 * events: the sequence number below which the page starts.
 */
final class LedgerCursor {

    /** A member of a Redis index: its score (the time of the attempt, ms) and its entry id. */
    record Mark(long score, String id) {
    }

    private LedgerCursor() {
    }

    static String of(long position) {
        return encode("p" + position);
    }

    static String of(Mark mark) {
        return encode("r" + mark.score() + ":" + mark.id());
    }

    static String ofControl(long before) {
        return encode("c" + before);
    }

    /** The sequence number below which a page of control events starts; {@link IllegalArgumentException} if foreign. */
    static long controlBefore(String cursor) {
        try {
            return Long.parseLong(decode(cursor, 'c'));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a ledger page token", e);
        }
    }

    /** Throws {@link IllegalArgumentException} for a token this ledger did not make. */
    static long position(String cursor) {
        String text = decode(cursor, 'p');
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a ledger page token", e);
        }
    }

    /** Throws {@link IllegalArgumentException} for a token this ledger did not make. */
    static Mark mark(String cursor) {
        String text = decode(cursor, 'r');
        int colon = text.indexOf(':');
        try {
            if (colon < 1 || colon == text.length() - 1) {
                throw new IllegalArgumentException("not a ledger page token");
            }
            return new Mark(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a ledger page token", e);
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, char kind) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a ledger page token", e);
        }
        if (text.isEmpty() || text.charAt(0) != kind) {
            throw new IllegalArgumentException("not a ledger page token");
        }
        return text.substring(1);
    }
}
