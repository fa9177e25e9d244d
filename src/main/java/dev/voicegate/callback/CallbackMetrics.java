package dev.voicegate.callback;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * {@code voicegate_callbacks_total{event,outcome}}. The event is a call status or {@code recording-} and a recording
 * status, from Twilio's own sets; anything else, signed or not, is {@code other}: the series stay bounded. All of
 * them exist from start-up, at zero, so that rate() sees the first callback and an alert on {@code rejected} (a
 * forged callback or a wrong token) has a series to read.
 */
@Startup
@ApplicationScoped
class CallbackMetrics {

    static final String ACCEPTED = "accepted";
    static final String DUPLICATE = "duplicate";
    static final String REJECTED = "rejected";
    static final String UNKNOWN_CALL = "unknown_call";

    private static final Set<String> CALL_STATUSES = Set.of("queued", "initiated", "ringing", "in-progress",
            "completed", "busy", "no-answer", "failed", "canceled");
    private static final Set<String> RECORDING_STATUSES = Set.of("in-progress", "completed", "absent", "failed");
    private static final List<String> OUTCOMES = List.of(ACCEPTED, DUPLICATE, "out_of_order", REJECTED, UNKNOWN_CALL,
            "other");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    CallbackMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String outcome : OUTCOMES) {
            CALL_STATUSES.forEach(status -> counter(status, outcome));
            RECORDING_STATUSES.forEach(status -> counter("recording-" + status, outcome));
            counter("other", outcome);
        }
    }

    /** The event tag of a call-progress callback. */
    static String callEvent(String callStatus) {
        return callStatus != null && CALL_STATUSES.contains(callStatus) ? callStatus : "other";
    }

    /** The event tag of a recording callback. */
    static String recordingEvent(String recordingStatus) {
        return recordingStatus != null && RECORDING_STATUSES.contains(recordingStatus) ? "recording-" + recordingStatus
                : "other";
    }

    void count(String event, String outcome) {
        counter(event, outcome != null && OUTCOMES.contains(outcome) ? outcome : "other").increment();
    }

    private Counter counter(String event, String outcome) {
        return counters.computeIfAbsent(event + ' ' + outcome, key -> Counter.builder("voicegate.callbacks")
                .description("Twilio callbacks received, by event and outcome")
                .tag("event", event).tag("outcome", outcome).register(registry));
    }
}
