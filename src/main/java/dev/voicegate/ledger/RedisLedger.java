package dev.voicegate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.voicegate.RedisSubscription;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * The ledger in Redis, shared by every replica (layout: {@link LedgerKeys}, {@link LedgerCodec}). Each write is one Lua
 * script ({@link LedgerScripts}) sent through {@link PendingWrites}: in order, never waited for, kept locally while
 * Redis is away. An event is recorded atomically by its script, which publishes the call SID to wake the waiters of
 * every replica (one {@link RedisSubscription}, whose message is a call SID and wakes its waiters). Keys expire with the retention after the attempt.
 */
final class RedisLedger implements Ledger {

    /** {@code timeout}: of one command; {@code retryEvery}: how often queued writes and the subscription are tried again. */
    record Settings(Duration retention, int pendingMax, Duration timeout, Duration retryEvery, int maxControlEvents) {

        Settings(Duration retention, int pendingMax, Duration timeout, Duration retryEvery) {
            this(retention, pendingMax, timeout, retryEvery, 10_000);
        }
    }

    private final ReactiveRedisDataSource redis;
    private final LedgerKeys keys;
    private final Settings settings;
    private final Clock clock;
    private final LedgerWatchers watchers = new LedgerWatchers();
    private final PendingWrites writes;
    private final RedisSubscription channel;
    private final RedisLedgerPages pages;
    private final RedisControlLog controls;

    /** On a standalone Redis (its key names: {@link LedgerKeys#STANDALONE}). */
    RedisLedger(ReactiveRedisDataSource redis, Vertx vertx, Settings settings, Clock clock) {
        this(redis, LedgerKeys.STANDALONE, vertx, settings, clock);
    }

    RedisLedger(ReactiveRedisDataSource redis, LedgerKeys keys, Vertx vertx, Settings settings, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.writes = new PendingWrites(settings.pendingMax(), vertx, settings.retryEvery());
        this.channel = new RedisSubscription(redis, vertx, LedgerKeys.CHANNEL, "the ledger's events",
                settings.retryEvery(), watchers::wake, watchers::wakeAll);
        this.pages = new RedisLedgerPages(this, clock, settings.retention());
        this.controls = new RedisControlLog(this, settings.maxControlEvents(), settings.retention(), clock);
        channel.start();
    }

    @Override
    public void attempted(CallAttempt attempt) {
        long at = attempt.attemptedAt().toEpochMilli();
        long retention = settings.retention().toMillis();
        List<String> names = new ArrayList<>(List.of(keys.entry(attempt.id()), keys.all()));
        if (attempt.accountSid() != null) {
            names.add(keys.account(attempt.accountSid()));
            if (attempt.idempotencyKey() != null) {
                names.add(keys.idempotency(attempt.accountSid(), attempt.idempotencyKey()));
            }
        }
        if (attempt.key() != null) {
            names.add(keys.key(attempt.key()));
        }
        write(LedgerScripts.ATTEMPTED, names, List.of(attempt.id(), LedgerCodec.json(attempt), Long.toString(at),
                Long.toString(at + retention), Long.toString(clock.millis() - retention), Long.toString(retention)));
        watchers.wakeAny(attempt.id()); // this replica's live pages only; the others see it with the call's first event
    }

    @Override
    public void outcome(String attemptId, String callSid, String outcome) {
        String sid = callSid == null ? "" : callSid;
        write(LedgerScripts.OUTCOME, List.of(keys.entry(attemptId), keys.sid(sid)), List.of(outcome, attemptId, sid));
        watchers.wakeAny(callSid == null ? attemptId : callSid);
    }

    @Override
    public void reconciled(String accountSid, String idempotencyKey, String callSid) {
        write(LedgerScripts.RECONCILED, List.of(keys.idempotency(accountSid, idempotencyKey), keys.sid(callSid)),
                List.of(callSid, keys.entryPrefix()));
    }

    @Override
    public Uni<EventOutcome> event(String callSid, StatusEvent event) {
        List<String> args = List.of(keys.entryPrefix(), event.dedupeKey(), event.token() == null ? "" : event.token(),
                LedgerCodec.json(event), event.sequence() == null ? "" : event.sequence().toString(),
                event.isFinal() ? "1" : "0", LedgerKeys.CHANNEL, callSid);
        return command(() -> eval(LedgerScripts.EVENT, List.of(keys.sid(callSid)), args),
                answer -> EventOutcome.valueOf(answer.toString().toUpperCase(Locale.ROOT)))
                .invoke(outcome -> {
                    if (outcome == EventOutcome.ACCEPTED || outcome == EventOutcome.OUT_OF_ORDER) {
                        watchers.wake(callSid); // at once here; the other replicas through the channel
                    }
                });
    }

    @Override
    public void details(String callSid, CallDetails details) {
        write(LedgerScripts.ANNOTATE, List.of(keys.sid(callSid)), List.of(keys.entryPrefix(), "details", LedgerCodec.json(details)));
    }

    @Override
    public void delivered(String callSid, Delivery delivery) {
        write(LedgerScripts.ANNOTATE, List.of(keys.sid(callSid)), List.of(keys.entryPrefix(), "delivery", LedgerCodec.json(delivery)));
    }

    @Override
    public Uni<Optional<LedgerEntry>> find(String callSid) {
        return read(List.of(callSid)).map(found -> Optional.ofNullable(found.get(0)));
    }

    @Override
    public Uni<Map<String, LedgerEntry>> findAll(Collection<String> callSids) {
        List<String> sids = List.copyOf(callSids);
        return read(sids).map(found -> {
            Map<String, LedgerEntry> bySid = new HashMap<>();
            for (int i = 0; i < sids.size(); i++) {
                if (found.get(i) != null) {
                    bySid.put(sids.get(i), found.get(i));
                }
            }
            return bySid;
        });
    }

    @Override
    public Uni<LedgerPage> list(LedgerQuery query) {
        return pages.list(query);
    }

    @Override
    public Watch watch(String callSid, Runnable wake) {
        return watchers.add(callSid, wake);
    }

    @Override
    public Watch watchAll(Consumer<String> wake) {
        return watchers.addAny(wake);
    }

    @Override
    public void control(ControlEvent event) {
        controls.add(event);
    }

    @Override
    public Uni<ControlPage> controls(String cursor, int pageSize) {
        return Uni.createFrom().deferred(() -> controls.page(cursor, pageSize));
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public Backlog backlog() {
        return new Backlog(writes.size(), writes.dropped(), writes.failing());
    }

    @Override
    public Duration writeLag() {
        return writes.lag();
    }

    /** Stops retrying and unsubscribes (shutdown); queued writes are lost. */
    void close() {
        writes.close();
        channel.close();
    }

    /** Stops following other replicas' events (shutdown: the waiters answer at once anyway). */
    void unsubscribe() {
        channel.close();
    }

    LedgerKeys keys() {
        return keys;
    }

    boolean subscribed() {
        return channel.subscribed();
    }

    /** The entries of these call SIDs, in their order; null where the ledger holds none. */
    private Uni<List<LedgerEntry>> read(List<String> sids) {
        if (sids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> args = new ArrayList<>(List.of(keys.entryPrefix(), keys.sidPrefix()));
        args.addAll(sids);
        // ALL is not read: it names the ledger's slot, so that a cluster client sends the script to its node.
        return command(() -> eval(LedgerScripts.READ, List.of(keys.all()), args), answer -> {
            List<LedgerEntry> entries = new ArrayList<>();
            answer.forEach(fields -> entries.add(LedgerCodec.entry(fields)));
            return entries;
        });
    }

    /**
     * A read, or an event: after this replica's writes queued so far (so it reads what it wrote), bounded by the
     * timeout; fails with {@link LedgerUnavailableException} at once while Redis does not answer writes.
     */
    <T> Uni<T> command(Supplier<Uni<Response>> send, Function<Response, T> answer) {
        return Uni.createFrom().completionStage(writes::written)
                .chain(() -> send.get())
                .ifNoItem().after(settings.timeout()).fail()
                .map(answer)
                .onFailure().transform(failure -> failure instanceof LedgerUnavailableException ? failure
                        : new LedgerUnavailableException("the call ledger's store (Redis) does not answer", failure));
    }

    Uni<Response> eval(String script, List<String> keys, List<String> args) {
        return LedgerScripts.eval(redis, script, keys, args);
    }

    void write(String script, List<String> keys, List<String> args) {
        writes.add(() -> eval(script, keys, args).ifNoItem().after(settings.timeout()).fail());
    }
}
