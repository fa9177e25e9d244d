package dev.voicegate.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque page token of a ledger listing: the position of the last entry returned. */
final class LedgerCursor {

    private LedgerCursor() {
    }

    static String of(long position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("p" + position).getBytes(StandardCharsets.US_ASCII));
    }

    /** Throws {@link IllegalArgumentException} for a token this ledger did not make. */
    static long position(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!text.startsWith("p")) {
                throw new IllegalArgumentException("not a ledger page token");
            }
            return Long.parseLong(text.substring(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a ledger page token", e);
        }
    }
}
