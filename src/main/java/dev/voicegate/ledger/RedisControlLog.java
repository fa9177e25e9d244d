package dev.voicegate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The control events in Redis, shared by every replica: one sorted set ({@link LedgerKeys#CONTROLS}, layout in
 * {@code ledger-control.lua}), capped and expiring with the retention. Appends go through the ledger's ordered write
 * queue, so an event made while Redis is briefly away is written when it is back; reads go after this replica's
 * queued writes, as the ledger's do.
 */
final class RedisControlLog {

    private final RedisLedger ledger;
    private final int max;
    private final Duration retention;
    private final Clock clock;

    RedisControlLog(RedisLedger ledger, int max, Duration retention, Clock clock) {
        this.ledger = ledger;
        this.max = Math.max(1, max);
        this.retention = retention;
        this.clock = clock;
    }

    void add(ControlEvent event) {
        ledger.write(LedgerScripts.CONTROL, List.of(LedgerKeys.CONTROLS, LedgerKeys.CONTROLS_SEQUENCE),
                List.of(Long.toString(event.at().toEpochMilli()), LedgerCodec.json(event), Integer.toString(max),
                        Long.toString(retention.toMillis()), Long.toString(clock.millis() - retention.toMillis())));
    }

    /** Newest first, after the cursor; throws {@link IllegalArgumentException} at once for a foreign token. */
    Uni<ControlPage> page(String cursor, int pageSize) {
        String highest = cursor == null ? "+inf" : Long.toString(LedgerCursor.controlBefore(cursor) - 1);
        long oldest = clock.millis() - retention.toMillis();
        return ledger.command(() -> ledger.eval(LedgerScripts.CONTROLS, List.of(LedgerKeys.CONTROLS),
                List.of(highest, Integer.toString(pageSize + 1))), answer -> page(answer, pageSize, oldest));
    }

    private static ControlPage page(Response answer, int pageSize, long oldest) {
        List<ControlEvent> events = new ArrayList<>();
        for (int i = 0; i + 1 < answer.size(); i += 2) {
            String member = answer.get(i).toString();
            long sequence = (long) Double.parseDouble(answer.get(i + 1).toString());
            int first = member.indexOf(':');
            int second = member.indexOf(':', first + 1);
            if (Long.parseLong(member.substring(0, first)) < oldest) {
                break; // older than the retention: about to be dropped, and so are all older ones
            }
            if (events.size() == pageSize) {
                return new ControlPage(events, LedgerCursor.ofControl(sequence + 1));
            }
            events.add(LedgerCodec.control(member.substring(second + 1)));
        }
        return new ControlPage(events, null);
    }
}
