package dev.voicegate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * A listing of the Redis ledger, newest first: it walks one index by score (the key's when the query names a key, else
 * the account's, else all), within the time range of the query and the retention, reading entries in batches with one
 * script each, and keeps those the query matches (status and number are known only from the entry). At most
 * {@link #BUDGET} members are looked at per page: a page may then come back short, with a cursor to go on.
 */
final class RedisLedgerPages {

    static final int BUDGET = 1000;
    private static final int MAX_BATCH = 100;

    private final RedisLedger ledger;
    private final Clock clock;
    private final Duration retention;

    RedisLedgerPages(RedisLedger ledger, Clock clock, Duration retention) {
        this.ledger = ledger;
        this.clock = clock;
        this.retention = retention;
    }

    /** Throws {@link IllegalArgumentException} at once for a page token this ledger did not make. */
    Uni<LedgerPage> list(LedgerQuery query) {
        LedgerCursor.Mark after = query.cursor() == null ? null : LedgerCursor.mark(query.cursor());
        String index = query.key() != null ? ledger.keys().key(query.key())
                : query.accountSid() != null ? ledger.keys().account(query.accountSid()) : ledger.keys().all();
        long min = clock.millis() - retention.toMillis();
        if (query.since() != null) {
            min = Math.max(min, query.since().toEpochMilli());
        }
        long max = query.until() == null ? Long.MAX_VALUE : query.until().toEpochMilli() - 1;
        if (after != null) {
            max = Math.min(max, after.score());
        }
        return new Scan(query, index, min, after).step(max, 0);
    }

    /** One listing under way. */
    private final class Scan {
        final LedgerQuery query;
        final String index;
        final long min;
        final LedgerCursor.Mark after;
        final int batch;
        final List<LedgerEntry> page = new ArrayList<>();
        LedgerCursor.Mark lastReturned;
        LedgerCursor.Mark lastScanned;
        int scanned;

        Scan(LedgerQuery query, String index, long min, LedgerCursor.Mark after) {
            this.query = query;
            this.index = index;
            this.min = min;
            this.after = after;
            this.batch = Math.min(MAX_BATCH, Math.max(query.pageSize() + 1, 20));
            this.lastScanned = after;
        }

        /** Members scored {@code max} and below, from {@code offset} on (members of score {@code max} already seen). */
        Uni<LedgerPage> step(long max, int offset) {
            if (max < min) {
                return Uni.createFrom().item(new LedgerPage(page, null));
            }
            List<String> args = List.of(Long.toString(max), Long.toString(min), Integer.toString(offset),
                    Integer.toString(batch), ledger.keys().entryPrefix());
            return ledger.command(() -> ledger.eval(LedgerScripts.PAGE, List.of(index), args), answer -> answer).chain(answer -> take(answer, max, offset));
        }

        private Uni<LedgerPage> take(Response answer, long max, int offset) {
            int members = answer.size() / 3;
            long lastScore = max;
            int sameScore = 0;
            for (int i = 0; i < members; i++) {
                String id = answer.get(3 * i).toString();
                long score = (long) Double.parseDouble(answer.get(3 * i + 1).toString());
                sameScore = score == lastScore ? sameScore + 1 : 1;
                lastScore = score;
                scanned++;
                if (after != null && score == after.score() && id.compareTo(after.id()) >= 0) {
                    continue; // on an earlier page (members of equal score come in reverse order of id)
                }
                LedgerCursor.Mark mark = new LedgerCursor.Mark(score, id);
                LedgerEntry entry = LedgerCodec.entry(answer.get(3 * i + 2));
                if (entry != null && query.matches(entry)) {
                    if (page.size() == query.pageSize()) {
                        return done(lastReturned);
                    }
                    page.add(entry);
                    lastReturned = mark;
                }
                lastScanned = mark;
            }
            if (members < batch) {
                return done(null);
            }
            if (scanned >= BUDGET) {
                return done(lastScanned);
            }
            return step(lastScore, lastScore == max ? offset + sameScore : sameScore);
        }

        private Uni<LedgerPage> done(LedgerCursor.Mark next) {
            return Uni.createFrom().item(new LedgerPage(List.copyOf(page), next == null ? null : LedgerCursor.of(next)));
        }
    }
}
