package dev.voicegate.dnc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The list every replica shares: one hash of entries (field: the number's hash, value: the entry's JSON) and a
 * sorted set of the hashes (all score 0) to page through them in order. Both keys share a hash tag (one slot); a
 * script changes them together. No key or field holds a number.
 */
final class RedisDoNotCallStore implements DoNotCallStore {

    private static final String ENTRIES = "voicegate:{dnc}:entries";
    private static final String INDEX = "voicegate:{dnc}:index";
    private static final String PUT = "local new = redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
            + "redis.call('ZADD', KEYS[2], 0, ARGV[1]) return new";
    private static final String PUT_IF_ABSENT = "if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end "
            + "redis.call('ZADD', KEYS[2], 0, ARGV[1]) return 1";
    private static final String REMOVE = "redis.call('ZREM', KEYS[2], ARGV[1]) return redis.call('HDEL', KEYS[1], ARGV[1])";

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    RedisDoNotCallStore(ReactiveRedisDataSource redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    @Override
    public Uni<Boolean> contains(String hash) {
        return call("HEXISTS", ENTRIES, hash).map(response -> response.toInteger() == 1);
    }

    @Override
    public Uni<Optional<DoNotCallEntry>> find(String hash) {
        return call("HGET", ENTRIES, hash)
                .map(response -> Optional.ofNullable(response).map(r -> DoNotCallEntry.decode(r.toString())));
    }

    @Override
    public Uni<Boolean> put(String hash, DoNotCallEntry entry) {
        return call("EVAL", PUT, "2", ENTRIES, INDEX, hash, entry.encode()).map(response -> response.toInteger() == 1);
    }

    @Override
    public Uni<Boolean> putIfAbsent(String hash, DoNotCallEntry entry) {
        return call("EVAL", PUT_IF_ABSENT, "2", ENTRIES, INDEX, hash, entry.encode())
                .map(response -> response.toInteger() == 1);
    }

    @Override
    public Uni<Boolean> remove(String hash) {
        return call("EVAL", REMOVE, "2", ENTRIES, INDEX, hash).map(response -> response.toInteger() == 1);
    }

    @Override
    public Uni<DoNotCallPage> page(String after, int size) {
        // One more than asked, to know whether there is a next page.
        return call("ZRANGE", INDEX, after == null ? "-" : "(" + after, "+", "BYLEX", "LIMIT", "0",
                Integer.toString(size + 1)).flatMap(range -> {
                    List<String> hashes = new ArrayList<>();
                    range.forEach(member -> hashes.add(member.toString()));
                    String next = hashes.size() > size ? hashes.get(size - 1) : null;
                    List<String> wanted = hashes.subList(0, Math.min(size, hashes.size()));
                    if (wanted.isEmpty()) {
                        return Uni.createFrom().item(new DoNotCallPage(List.of(), null));
                    }
                    List<String> args = new ArrayList<>(List.of(ENTRIES));
                    args.addAll(wanted);
                    return call("HMGET", args.toArray(String[]::new)).map(values -> {
                        List<DoNotCallEntry> entries = new ArrayList<>();
                        // A hash removed between the two reads has no value: it is skipped.
                        values.forEach(value -> {
                            if (value != null) {
                                entries.add(DoNotCallEntry.decode(value.toString()));
                            }
                        });
                        return new DoNotCallPage(entries, next);
                    });
                });
    }

    @Override
    public String kind() {
        return "redis";
    }

    private Uni<Response> call(String command, String... args) {
        return redis.execute(command, args).ifNoItem().after(timeout).fail()
                .onFailure().transform(failure -> new DoNotCallUnavailableException("Redis is unreachable", failure));
    }
}
