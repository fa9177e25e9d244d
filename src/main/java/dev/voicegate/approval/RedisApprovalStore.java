package dev.voicegate.approval;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The shared store: an approval under its slot, its id pointing at the slot, and a sorted set of ids by expiry for
 * the operators' listing. Opening is one script, so two replicas never open two approvals for one slot; a decision
 * is a compare-and-set that keeps the expiry.
 */
final class RedisApprovalStore implements ApprovalStore {

    /** The names every version before wrote, kept on a standalone Redis so that an upgrade finds open approvals. */
    static final String STANDALONE = "voicegate:approval:";
    /** On a cluster one hash tag for every key: opening writes an approval, its id and the index together (one slot). */
    static final String CLUSTER = "voicegate:{approval}:";
    private static final String OPEN = "local current = redis.call('GET', KEYS[1]) "
            + "if current then return current end "
            + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) "
            + "redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) "
            + "redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[5]) "
            + "redis.call('ZADD', KEYS[3], ARGV[4], ARGV[6]) return false";
    private static final String REPLACE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 else return 0 end";

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private final Clock clock;
    private final String prefix;
    private final String index;

    /** On a standalone Redis. */
    RedisApprovalStore(ReactiveRedisDataSource redis, Duration timeout, Clock clock) {
        this(redis, timeout, clock, STANDALONE);
    }

    /** {@code prefix}: {@link #STANDALONE} or {@link #CLUSTER}. */
    RedisApprovalStore(ReactiveRedisDataSource redis, Duration timeout, Clock clock, String prefix) {
        this.prefix = prefix;
        this.index = prefix + "index";
        this.redis = redis;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Uni<String> open(String slot, String id, String value, Duration ttl) {
        long now = clock.millis();
        return call(redis.execute("EVAL", OPEN, "3", prefix + "slot:" + slot, prefix + "id:" + id, index, value, slot,
                Long.toString(ttl.toMillis()), Long.toString(now + ttl.toMillis()), Long.toString(now), id))
                .map(RedisApprovalStore::text);
    }

    private Uni<String> atSlot(String slot) {
        return call(redis.execute("GET", prefix + "slot:" + slot)).map(RedisApprovalStore::text);
    }

    @Override
    public Uni<String> find(String id) {
        return slotOf(id).flatMap(slot -> slot == null ? Uni.createFrom().nullItem() : atSlot(slot));
    }

    @Override
    public Uni<Boolean> replace(String id, String expected, String value) {
        return slotOf(id).flatMap(slot -> slot == null ? Uni.createFrom().item(false)
                : call(redis.execute("EVAL", REPLACE, "1", prefix + "slot:" + slot, expected, value))
                        .map(response -> response != null && response.toInteger() == 1));
    }

    @Override
    public Uni<List<String>> live(int max) {
        return call(redis.execute("ZRANGEBYSCORE", index, "(" + clock.millis(), "+inf", "LIMIT", "0",
                Integer.toString(max))).flatMap(ids -> {
                    if (ids == null || ids.size() == 0) {
                        return Uni.createFrom().item(List.<String>of());
                    }
                    List<Uni<String>> found = new ArrayList<>();
                    ids.forEach(id -> found.add(find(id.toString())));
                    return Uni.join().all(found).andFailFast()
                            .map(values -> values.stream().filter(v -> v != null).toList());
                });
    }

    @Override
    public String kind() {
        return "redis";
    }

    private Uni<String> slotOf(String id) {
        return call(redis.execute("GET", prefix + "id:" + id)).map(RedisApprovalStore::text);
    }

    private static String text(Response response) {
        return response == null ? null : response.toString();
    }

    private Uni<Response> call(Uni<Response> command) {
        return command.ifNoItem().after(timeout).fail()
                .onFailure().transform(failure -> new ApprovalStoreException("Redis is unreachable", failure));
    }
}
