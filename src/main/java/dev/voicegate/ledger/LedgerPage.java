package dev.voicegate.ledger;

import java.util.List;

/** One page of a listing, newest first; {@code next} is the cursor of the following page, null on the last. */
public record LedgerPage(List<LedgerEntry> entries, String next) {
}
