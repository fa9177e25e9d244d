package dev.voicegate.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Counters every replica shares: a sorted set per counter and window, scored by the time of each counted entry.
 * One Lua script per decision drops what left the windows, checks each one and counts in all of them, on Redis's
 * clock, so replicas can never together exceed a quota. The keys of one counter share a hash tag (one slot).
 */
final class RedisQuotaStore implements QuotaStore {

    private static final String PREFIX = "voicegate:quota:";
    // KEYS: one per window. ARGV: limit and length (ms) per window, then the entry's member.
    // Returns {1, 0, 0, remaining…} when taken, {0, window index, ms until it has room} when not.
    private static final String TAKE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            for i = 1, #KEYS do
              local limit = tonumber(ARGV[2 * i - 1])
              local length = tonumber(ARGV[2 * i])
              redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - length)
              local count = redis.call('ZCARD', KEYS[i])
              if count >= limit then
                local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
                return {0, i, math.max(1, tonumber(oldest[2]) + length - now)}
              end
            end
            local result = {1, 0, 0}
            for i = 1, #KEYS do
              redis.call('ZADD', KEYS[i], now, ARGV[2 * #KEYS + 1])
              redis.call('PEXPIRE', KEYS[i], ARGV[2 * i])
              result[3 + i] = tonumber(ARGV[2 * i - 1]) - redis.call('ZCARD', KEYS[i])
            end
            return result
            """;
    private static final String GIVE_BACK = """
            for i = 1, #KEYS do
              redis.call('ZREM', KEYS[i], ARGV[1])
            end
            return 1
            """;

    // KEYS: one per window. ARGV: length (ms) per window. Returns what each window counts now; changes nothing.
    private static final String USED = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local result = {}
            for i = 1, #KEYS do
              result[i] = redis.call('ZCOUNT', KEYS[i], '(' .. (now - tonumber(ARGV[i])), '+inf')
            end
            return result
            """;

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    RedisQuotaStore(ReactiveRedisDataSource redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    @Override
    public Uni<Verdict> take(String counter, List<Window> windows) {
        String member = Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<String> args = new ArrayList<>(List.of("EVAL", TAKE, Integer.toString(windows.size())));
        windows.forEach(window -> args.add(key(counter, window)));
        windows.forEach(window -> {
            args.add(Integer.toString(window.limit()));
            args.add(Long.toString(window.length().toMillis()));
        });
        args.add(member);
        return call(args).map(response -> {
            if (response.get(0).toInteger() == 0) {
                return Verdict.denied(windows.get(response.get(1).toInteger() - 1),
                        Duration.ofMillis(response.get(2).toLong()));
            }
            List<Integer> remaining = new ArrayList<>(windows.size());
            for (int i = 0; i < windows.size(); i++) {
                remaining.add(response.get(3 + i).toInteger());
            }
            return Verdict.allowed(remaining, member);
        });
    }

    @Override
    public Uni<Void> giveBack(String counter, List<Window> windows, String ticket) {
        List<String> args = new ArrayList<>(List.of("EVAL", GIVE_BACK, Integer.toString(windows.size())));
        windows.forEach(window -> args.add(key(counter, window)));
        args.add(ticket);
        return call(args).replaceWithVoid();
    }

    @Override
    public Uni<List<Integer>> used(String counter, List<Window> windows) {
        List<String> args = new ArrayList<>(List.of("EVAL", USED, Integer.toString(windows.size())));
        windows.forEach(window -> args.add(key(counter, window)));
        windows.forEach(window -> args.add(Long.toString(window.length().toMillis())));
        return call(args).map(response -> {
            List<Integer> used = new ArrayList<>(windows.size());
            response.forEach(count -> used.add(count.toInteger()));
            return used;
        });
    }

    @Override
    public String kind() {
        return "redis";
    }

    private static String key(String counter, Window window) {
        return PREFIX + "{" + counter + "}:" + window.name();
    }

    private Uni<Response> call(List<String> command) {
        return redis.execute(command.get(0), command.subList(1, command.size()).toArray(String[]::new))
                .ifNoItem().after(timeout).fail()
                .onFailure().transform(failure -> new QuotaUnavailableException("Redis is unreachable", failure));
    }
}
