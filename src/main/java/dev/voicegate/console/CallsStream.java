package dev.voicegate.console;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestCookie;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.ledger.Ledger;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;

/**
 * The calls page's live updates: a server-sent event {@code ledger} whenever the ledger changed (at once, then at
 * most one per {@link #COALESCE}, {@link LiveThrottle}), on which the page fetches its rows again. The event carries
 * nothing but a count: what the operator may see is decided by the rows' own request. Streams are bounded per replica
 * ({@code CONSOLE_MAX_STREAMS}); each ends its ledger watch when the browser goes. A quiet stream sends a comment
 * every {@code CONSOLE_KEEP_ALIVE}, so that a proxy does not cut it as idle.
 */
@Path("/console/stream/calls")
public class CallsStream {

    /** Changes closer together than this share an event: a burst of callbacks refreshes the page once per window. */
    static final Duration COALESCE = Duration.ofMillis(200);

    private final ConsoleAccess console;
    private final Ledger ledger;
    private final int maxStreams;
    private final Duration keepAlive;
    private final AtomicInteger open = new AtomicInteger();

    CallsStream(ConsoleAccess console, Ledger ledger, VoicegateConfig config) {
        this.console = console;
        this.ledger = ledger;
        this.maxStreams = config.console().maxStreams();
        this.keepAlive = config.console().keepAlive();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@RestCookie(Sessions.COOKIE) String session, @Context Sse sse) {
        console.operator(session);
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw new ConsoleRefusal(Response.Status.SERVICE_UNAVAILABLE, "Too many live pages are open on this "
                    + "replica (CONSOLE_MAX_STREAMS); reload later.");
        }
        Multi<Integer> changes = Multi.createFrom().<Integer>emitter(emitter -> {
            LiveThrottle throttle = new LiveThrottle(COALESCE, Infrastructure.getDefaultWorkerPool(), System::nanoTime,
                    emitter::emit);
            Ledger.Watch watch = ledger.watchAll(id -> throttle.changed());
            emitter.onTermination(() -> {
                watch.close();
                throttle.close();
                open.decrementAndGet();
            });
        }, BackPressureStrategy.LATEST);
        Multi<OutboundSseEvent> updates = changes
                .map(count -> sse.newEventBuilder().name("ledger").data(Integer.toString(count)).build());
        Multi<OutboundSseEvent> pings = Multi.createFrom().ticks().every(keepAlive)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(updates, pings);
    }
}
