package dev.voicegate.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import dev.voicegate.Sid;

/**
 * The sandbox's in-memory call log. Methods are synchronized because Vert.x may serve requests on several
 * event loops; every critical section is a few map operations, never I/O, so the lock never blocks for long.
 * The log is bounded: past {@link #DEFAULT_MAX_CALLS} the oldest call (and its recording) is dropped.
 */
@Singleton
final class SandboxStore {

    static final int DEFAULT_MAX_CALLS = 10_000;

    /** Twilio's test-credential numbers for calls (docs "test-credentials", section "Test calls"). */
    static final String VALID_FROM = "+15005550006";
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");

    private final int maxCalls;
    private final Map<String, SandboxCall> calls = new LinkedHashMap<>();
    private final Map<String, SandboxCall> byRecording = new HashMap<>();
    private long nextSeq;
    private volatile Clock clock;

    SandboxStore() {
        this(Clock.systemUTC(), DEFAULT_MAX_CALLS);
    }

    SandboxStore(Clock clock, int maxCalls) {
        this.clock = clock;
        this.maxCalls = maxCalls;
    }

    /** Lets a test move time forward instead of sleeping through the call lifecycle. */
    void setClock(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Validates a {@code POST /Calls.json} the way Twilio does with test credentials, then stores the call.
     *
     * @throws SandboxError with Twilio's code when a parameter is refused
     */
    SandboxCall create(String to, String from, String url, String twiml, String applicationSid, String record,
            String machineDetection) {
        validate(to, from, url, twiml, applicationSid, machineDetection);
        boolean recorded = "true".equalsIgnoreCase(record);
        synchronized (this) {
            SandboxCall call = new SandboxCall(nextSeq++, sid(Sid.CALL), to, from, now(), machineDetection != null,
                    recorded ? sid(Sid.RECORDING) : null, recorded ? sid(Sid.TRANSCRIPTION) : null, null);
            calls.put(call.sid(), call);
            if (recorded) {
                byRecording.put(call.recordingSid(), call);
            }
            if (calls.size() > maxCalls) {
                SandboxCall oldest = calls.values().iterator().next();
                calls.remove(oldest.sid());
                if (oldest.recordingSid() != null) {
                    byRecording.remove(oldest.recordingSid());
                }
            }
            return call;
        }
    }

    /**
     * {@code POST /Calls/{Sid}.json} with {@code Status}, as Twilio answers it: {@code canceled} hangs up a queued or
     * ringing call and leaves one in progress as it is; {@code completed} hangs up either. The record is replaced
     * under the lock, so a concurrent request sees the call either live or hung up, never half of it.
     *
     * @return the call after the request
     * @throws SandboxError 20001 for another {@code Status}, 20404 for an unknown call, 21220 for one already ended
     */
    SandboxCall hangUp(String callSid, String status, String twilioPath) {
        if (!"canceled".equals(status) && !"completed".equals(status)) {
            // The sandbox does not redirect calls (Url, Twiml): only ending one is an update it knows.
            throw SandboxError.invalidParameter("Status must be canceled or completed");
        }
        Instant now = now();
        synchronized (this) {
            SandboxCall call = calls.get(callSid);
            if (call == null) {
                throw SandboxError.notFound(twilioPath);
            }
            SandboxCall.Status current = call.statusAt(now);
            if (current.isFinal()) {
                throw SandboxError.badRequest(21220, "Call is not in-progress. Cannot redirect.");
            }
            if (current == SandboxCall.Status.IN_PROGRESS && status.equals("canceled")) {
                return call;
            }
            SandboxCall ended = call.hangUp(now);
            calls.put(callSid, ended);
            if (ended.recordingSid() != null) {
                byRecording.put(ended.recordingSid(), ended);
            }
            return ended;
        }
    }

    synchronized Optional<SandboxCall> call(String callSid) {
        return Optional.ofNullable(calls.get(callSid));
    }

    /** The call owning this recording, if the recording exists yet (its call has completed). */
    Optional<SandboxCall> recording(String recordingSid) {
        Instant now = now();
        synchronized (this) {
            return Optional.ofNullable(byRecording.get(recordingSid)).filter(c -> c.hasRecording(now));
        }
    }

    SandboxPage listCalls(SandboxFilter filter, SandboxPage.Request request) {
        Instant now = now();
        List<SandboxCall> matching = newestFirst().stream().filter(c -> filter.matchesCall(c, now)).toList();
        return SandboxPage.of(matching, request, SandboxCall::sid, this::seqOfCall);
    }

    SandboxPage listRecordings(SandboxFilter filter, SandboxPage.Request request) {
        Instant now = now();
        List<SandboxCall> matching = newestFirst().stream().filter(c -> filter.matchesRecording(c, now)).toList();
        return SandboxPage.of(matching, request, SandboxCall::recordingSid, this::seqOfRecording);
    }

    synchronized int size() {
        return calls.size();
    }

    private synchronized List<SandboxCall> newestFirst() {
        List<SandboxCall> all = new ArrayList<>(calls.values());
        Collections.reverse(all);
        return all;
    }

    private synchronized OptionalLong seqOfCall(String sid) {
        SandboxCall c = calls.get(sid);
        return c == null ? OptionalLong.empty() : OptionalLong.of(c.seq());
    }

    private synchronized OptionalLong seqOfRecording(String sid) {
        SandboxCall c = byRecording.get(sid);
        return c == null ? OptionalLong.empty() : OptionalLong.of(c.seq());
    }

    private static String sid(Sid kind) {
        return kind.prefix() + UUID.randomUUID().toString().replace("-", "");
    }

    /** Checks in Twilio's order: presence first, then the caller id, then the callee. */
    private static void validate(String to, String from, String url, String twiml, String applicationSid,
            String machineDetection) {
        if (to == null) {
            throw SandboxError.badRequest(21201, "No 'To' number is specified");
        }
        if (from == null) {
            throw SandboxError.badRequest(21213, "No 'From' number is specified");
        }
        if (url == null && twiml == null && applicationSid == null) {
            throw SandboxError.badRequest(21205, "Url parameter is required");
        }
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            throw SandboxError.badRequest(21205, "Url is not a valid URL");
        }
        if (machineDetection != null && !machineDetection.equals("Enable")
                && !machineDetection.equals("DetectMessageEnd")) {
            throw SandboxError.invalidParameter("MachineDetection must be Enable or DetectMessageEnd");
        }
        String caller = SandboxError.mask(from);
        if (from.equals("+15005550001")) {
            throw SandboxError.badRequest(21212, "The caller ID " + caller + " is not a valid phone number");
        }
        if (!from.equals(VALID_FROM)) {
            throw SandboxError.badRequest(21210, "The source phone number provided, " + caller
                    + ", is not yet verified for your account. You may only make calls from phone numbers"
                    + " that you've verified or purchased from Twilio.");
        }
        String callee = SandboxError.mask(to);
        switch (to) {
            case "+15005550001" -> throw SandboxError.badRequest(21217,
                    "Phone number " + callee + " does not appear to be valid");
            case "+15005550002" -> throw SandboxError.badRequest(21214,
                    "'To' phone number " + callee + " cannot be reached");
            case "+15005550003" -> throw SandboxError.badRequest(21215, "Account not authorized to call " + callee
                    + ". Perhaps you need to enable some international permissions.");
            case "+15005550004" -> throw SandboxError.badRequest(21216, "Account not allowed to call " + callee);
            default -> {
                if (!E164.matcher(to).matches() && !to.startsWith("sip:") && !to.startsWith("client:")) {
                    throw SandboxError.badRequest(21211, "Invalid 'To' Phone Number: " + callee);
                }
            }
        }
    }
}
