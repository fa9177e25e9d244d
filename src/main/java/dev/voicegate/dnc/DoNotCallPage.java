package dev.voicegate.dnc;

import java.util.List;

/** A page of the list, in the order of the numbers' hashes; {@code next} is the token of the next page, or null. */
public record DoNotCallPage(List<DoNotCallEntry> entries, String next) {
}
