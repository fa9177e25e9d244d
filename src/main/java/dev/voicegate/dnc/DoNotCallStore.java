package dev.voicegate.dnc;

import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * Where the list lives, keyed by the hash of each number ({@link DoNotCall#hash}). A store that cannot answer fails
 * with {@link DoNotCallUnavailableException}.
 */
public interface DoNotCallStore {

    Uni<Boolean> contains(String hash);

    Uni<Optional<DoNotCallEntry>> find(String hash);

    /** Adds or replaces the entry; true when the number was not listed before. */
    Uni<Boolean> put(String hash, DoNotCallEntry entry);

    /** Adds the entry unless the number is listed already (then the entry stays as it was); true when added. */
    Uni<Boolean> putIfAbsent(String hash, DoNotCallEntry entry);

    /** True when the number was listed. */
    Uni<Boolean> remove(String hash);

    /** Up to {@code size} entries whose hashes come after {@code after} (null: from the start). */
    Uni<DoNotCallPage> page(String after, int size);

    String kind();
}
