package dev.voicegate.ledger;

import java.util.ArrayList;
import java.util.List;

import dev.voicegate.LuaScripts;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The ledger's Lua scripts (resources beside this class, each behind {@code ledger-common.lua}): every write is one
 * script, so one round trip and atomic across replicas.
 */
final class LedgerScripts {

    static final String ATTEMPTED = script("ledger-attempted.lua");
    static final String OUTCOME = script("ledger-outcome.lua");
    static final String RECONCILED = script("ledger-reconciled.lua");
    static final String EVENT = script("ledger-event.lua");
    static final String ANNOTATE = script("ledger-annotate.lua");
    static final String READ = script("ledger-read.lua");
    static final String PAGE = script("ledger-page.lua");
    static final String CONTROL = script("ledger-control.lua");
    static final String CONTROLS = script("ledger-controls.lua");

    private LedgerScripts() {
    }

    /** {@code EVAL script keys... args...}. */
    static Uni<Response> eval(ReactiveRedisDataSource redis, String script, List<String> keys, List<String> args) {
        List<String> command = new ArrayList<>(keys.size() + args.size() + 2);
        command.add(script);
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        command.addAll(args);
        try {
            return redis.execute("EVAL", command.toArray(String[]::new));
        } catch (RuntimeException e) { // a client that refuses at once (closed) is Redis being away
            return Uni.createFrom().failure(e);
        }
    }

    private static String script(String name) {
        return text("ledger-common.lua") + "\n" + text(name);
    }

    private static String text(String name) {
        return LuaScripts.read(LedgerScripts.class, name);
    }
}
