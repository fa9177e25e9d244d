package dev.voicegate.quota;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Where quota counters live: in memory for one instance, or in Redis shared by every replica. Windows slide: a
 * window has room again once its oldest counted entry is older than its length. Every operation fails with
 * {@link QuotaUnavailableException} when the store cannot be reached.
 */
public interface QuotaStore {

    /** Takes one from every window of {@code counter}, atomically: from all of them, or from none. */
    Uni<Verdict> take(String counter, List<Window> windows);

    /** Gives back what the take with this ticket took (the call was provably not placed). */
    Uni<Void> giveBack(String counter, List<Window> windows, String ticket);

    /** How many are counted in each window of {@code counter} now, in order; takes nothing. */
    Uni<List<Integer>> used(String counter, List<Window> windows);

    /** "memory" or "redis", for logs. */
    String kind();
}
