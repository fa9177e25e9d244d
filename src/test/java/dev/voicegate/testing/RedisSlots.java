package dev.voicegate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Redis Cluster's hash slots, computed as Redis does (CRC16-CCITT/XMODEM of the key, or of its first non-empty
 * {@code {tag}}, modulo 16384), and a data source that records the commands a store sends instead of sending them
 * ({@link #recording}), so that a test can check that each one stays in one slot ({@link #assertOneSlotEach}).
 */
public final class RedisSlots {

    /** Commands that touch several keys: every key must be in one slot on a cluster. */
    private static final Set<String> MULTI_KEY = Set.of("MGET", "MSET", "DEL", "UNLINK", "EXISTS", "RENAME", "SUNION",
            "SINTER", "ZUNIONSTORE", "ZINTERSTORE", "RPOPLPUSH", "LMOVE", "BLPOP", "WATCH");
    /** Commands that walk the keyspace (only one node's part of it on a cluster): never used. */
    private static final Set<String> FORBIDDEN = Set.of("KEYS", "SCAN", "RANDOMKEY", "FLUSHALL", "FLUSHDB", "MULTI");

    private RedisSlots() {
    }

    public static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) % 16384;
    }

    /** CRC16-CCITT (XMODEM): polynomial 0x1021, initial 0, as in Redis's crc16.c. */
    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xffff;
            }
        }
        return crc;
    }

    /**
     * A data source that records every {@code execute(command, args...)} into {@code sent} (command first) and answers
     * nothing (a null item); any other method returns null (a store that uses it fails, which the test sees).
     */
    public static ReactiveRedisDataSource recording(List<List<String>> sent) {
        return (ReactiveRedisDataSource) Proxy.newProxyInstance(RedisSlots.class.getClassLoader(),
                new Class<?>[] { ReactiveRedisDataSource.class }, (proxy, method, args) -> {
                    if (method.getName().equals("execute") && args.length == 2 && args[0] instanceof String command) {
                        List<String> line = new ArrayList<>(List.of(command));
                        line.addAll(Arrays.asList((String[]) args[1]));
                        synchronized (sent) {
                            sent.add(line);
                        }
                        return Uni.createFrom().nullItem();
                    }
                    if (method.getName().equals("toString")) {
                        return "recording data source";
                    }
                    return null;
                });
    }

    /** The keys a command names: EVAL's declared keys, or a multi-key command's arguments, or its first argument. */
    public static List<String> keys(List<String> command) {
        String name = command.get(0).toUpperCase(Locale.ROOT);
        if (name.equals("EVAL") || name.equals("EVALSHA")) {
            int count = Integer.parseInt(command.get(2));
            return command.subList(3, 3 + count);
        }
        if (MULTI_KEY.contains(name)) {
            return command.subList(1, command.size());
        }
        return command.size() > 1 && !name.equals("PING") && !name.equals("PUBLISH") ? command.subList(1, 2) : List.of();
    }

    /**
     * Fails when a command names keys of two slots, walks the keyspace, or is a script that declares no key (a
     * cluster client could not tell which node it belongs to, and its keys derived inside would not be there).
     */
    public static void assertOneSlotEach(List<List<String>> sent) {
        assertFalse(sent.isEmpty(), "no command was sent");
        for (List<String> command : sent) {
            String name = command.get(0).toUpperCase(Locale.ROOT);
            assertFalse(FORBIDDEN.contains(name), "walks the keyspace or spans slots: " + name);
            List<String> keys = keys(command);
            if (name.startsWith("EVAL")) {
                assertTrue(!keys.isEmpty(), "a script without a declared key cannot be routed on a cluster");
            }
            Set<Integer> slots = keys.stream().map(RedisSlots::slot).collect(Collectors.toSet());
            assertTrue(slots.size() <= 1, name + " spans the slots " + slots + " of " + keys);
        }
    }

    /** The one slot every command of {@code sent} is in (they must share it). */
    public static int commonSlot(List<List<String>> sent) {
        Set<Integer> slots = sent.stream().flatMap(command -> keys(command).stream()).map(RedisSlots::slot)
                .collect(Collectors.toSet());
        assertEquals(1, slots.size(), "expected one slot, got " + slots);
        return slots.iterator().next();
    }
}
