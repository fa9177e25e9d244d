package dev.voicegate.observability;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.voicegate.config.VoicegateConfig;

/**
 * The latest audit lines of this replica that decided something (an action allowed or refused, a control, a
 * sign-in), for the console's audit page; reads of the ledger and of the console's pages stay log lines only, so that
 * an open page does not push the decisions out. A fixed ring ({@code CONSOLE_RECENT_AUDIT} lines) whose texts are
 * the audit line's own, already masked and shortened: memory is bounded whatever callers send.
 */
@ApplicationScoped
public class RecentAudit {

    /** The longest target kept; a longer one is cut. */
    static final int MAX_TARGET = 200;

    /** One decision: {@code decision} {@code allow} or {@code deny}, {@code rule} the setting that refused it. */
    public record Line(Instant at, String key, String action, String target, String decision, String rule,
            String outcome) {
    }

    private final Line[] ring;
    private final Clock clock;
    private long written;

    @Inject
    RecentAudit(VoicegateConfig config) {
        this(config.console().recentAudit(), Clock.systemUTC());
    }

    RecentAudit(int size, Clock clock) {
        this.ring = new Line[Math.max(1, size)];
        this.clock = clock;
    }

    void add(String key, String action, String target, String decision, String rule, String outcome) {
        String shown = target == null || target.length() <= MAX_TARGET ? target : target.substring(0, MAX_TARGET) + "…";
        Line line = new Line(clock.instant(), key, action, shown, decision, rule, outcome);
        synchronized (ring) {
            ring[(int) (written++ % ring.length)] = line;
        }
    }

    /** What the ring holds, newest first. */
    public List<Line> newestFirst() {
        synchronized (ring) {
            int held = (int) Math.min(written, ring.length);
            List<Line> lines = new ArrayList<>(held);
            for (long i = written - 1; i >= written - held; i--) {
                lines.add(ring[(int) (i % ring.length)]);
            }
            return lines;
        }
    }
}
