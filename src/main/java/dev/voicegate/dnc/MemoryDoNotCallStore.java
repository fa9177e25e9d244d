package dev.voicegate.dnc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import io.smallrye.mutiny.Uni;

/**
 * The list of a single instance. Bounded: once full, a new number is refused rather than an old one dropped, since
 * dropping would silently allow calls to a number someone asked not to be called.
 */
final class MemoryDoNotCallStore implements DoNotCallStore {

    private final ConcurrentSkipListMap<String, DoNotCallEntry> entries = new ConcurrentSkipListMap<>();
    private final int max;

    MemoryDoNotCallStore(int max) {
        this.max = max;
    }

    @Override
    public Uni<Boolean> contains(String hash) {
        return Uni.createFrom().item(entries.containsKey(hash));
    }

    @Override
    public Uni<Optional<DoNotCallEntry>> find(String hash) {
        return Uni.createFrom().item(Optional.ofNullable(entries.get(hash)));
    }

    @Override
    public synchronized Uni<Boolean> put(String hash, DoNotCallEntry entry) {
        if (!entries.containsKey(hash) && entries.size() >= max) {
            return Uni.createFrom().failure(new ActionException(new ActionFailure(ErrorCategory.RATE_LIMITED, "the "
                    + "in-memory do-not-call list is full (" + max + " numbers); nothing was added. Remove numbers, "
                    + "raise voicegate.do-not-call.memory-max-entries, or set REDIS_URL.", 429, null)));
        }
        return Uni.createFrom().item(entries.put(hash, entry) == null);
    }

    @Override
    public synchronized Uni<Boolean> putIfAbsent(String hash, DoNotCallEntry entry) {
        return entries.containsKey(hash) ? Uni.createFrom().item(false) : put(hash, entry);
    }

    @Override
    public Uni<Boolean> remove(String hash) {
        return Uni.createFrom().item(entries.remove(hash) != null);
    }

    @Override
    public Uni<DoNotCallPage> page(String after, int size) {
        ConcurrentNavigableMap<String, DoNotCallEntry> rest = after == null ? entries : entries.tailMap(after, false);
        List<DoNotCallEntry> page = new ArrayList<>(size);
        String last = null;
        for (Map.Entry<String, DoNotCallEntry> entry : rest.entrySet()) {
            if (page.size() == size) {
                return Uni.createFrom().item(new DoNotCallPage(page, last));
            }
            page.add(entry.getValue());
            last = entry.getKey();
        }
        return Uni.createFrom().item(new DoNotCallPage(page, null));
    }

    @Override
    public String kind() {
        return "memory";
    }
}
