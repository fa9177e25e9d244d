package dev.voicegate.sandbox;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.vertx.core.MultiMap;

/**
 * The callbacks a created call asked for, read from its {@code POST /Calls.json} form as Twilio reads it
 * (TWILIO.md section 9), keeping only targets on this machine: the sandbox never sends a request off loopback.
 *
 * @param status where call-progress events go, or null for none
 * @param events the call-progress events asked for
 * @param explicit whether {@code StatusCallbackEvent} was given: only then do events carry a sequence and time
 * @param recording where the recording's {@code completed} event goes, or null for none
 */
record SandboxHooks(Target status, Set<Event> events, boolean explicit, Target recording) {

    private static final Logger LOG = Logger.getLogger(SandboxHooks.class);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** Call-progress events, in the order a call goes through them. */
    enum Event {
        INITIATED, RINGING, ANSWERED, COMPLETED;

        final String wire = name().toLowerCase(Locale.ROOT);
    }

    /** A callback URL (without its fragment) and its method. */
    record Target(String url, boolean get) {
    }

    boolean any() {
        return status != null || recording != null;
    }

    /**
     * @return the hooks of this form; none at all when a {@code StatusCallbackEvent} value is not one event (a
     *         joined list is error 21626 on Twilio, which still creates the call but sends no callbacks)
     */
    static SandboxHooks of(MultiMap form) {
        List<String> values = form.getAll("StatusCallbackEvent");
        Set<Event> events = EnumSet.noneOf(Event.class);
        for (String value : values) {
            Event event = event(value);
            if (event == null) {
                return new SandboxHooks(null, events, false, null);
            }
            events.add(event);
        }
        boolean explicit = !events.isEmpty();
        if (!explicit) {
            events.add(Event.COMPLETED);
        }
        // Twilio ignores the status callback of a call handled by a TwiML application.
        Target status = isSet(form.get("ApplicationSid")) ? null
                : target(form.get("StatusCallback"), form.get("StatusCallbackMethod"));
        Target recording = "true".equalsIgnoreCase(form.get("Record")) && recordingCompleted(form)
                ? target(form.get("RecordingStatusCallback"), form.get("RecordingStatusCallbackMethod"))
                : null;
        return new SandboxHooks(status, events, explicit, recording);
    }

    private static Event event(String value) {
        for (Event event : Event.values()) {
            if (event.wire.equals(value)) {
                return event;
            }
        }
        return null;
    }

    /** The recording's events default to {@code completed}; several may be one space-separated value. */
    private static boolean recordingCompleted(MultiMap form) {
        List<String> values = form.getAll("RecordingStatusCallbackEvent");
        return values.isEmpty() || values.stream().anyMatch(v -> List.of(v.trim().split("\\s+")).contains("completed"));
    }

    private static Target target(String url, String method) {
        if (!isSet(url)) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || !isLoopback(uri.getHost())) {
                LOG.debugf("Sandbox sends no callback to host %s: not loopback", uri.getHost());
                return null;
            }
            int hash = url.indexOf('#');
            return new Target(hash < 0 ? url : url.substring(0, hash), "GET".equalsIgnoreCase(method));
        } catch (URISyntaxException e) {
            LOG.debug("Sandbox sends no callback to an invalid URL");
            return null;
        }
    }

    /**
     * {@code localhost}, 127.0.0.0/8 or {@code [::1]} (and IPv4-mapped loopback), from the literal alone: nothing is
     * resolved, so this never blocks and DNS cannot turn a name into a loopback address or out of one.
     */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        Matcher v4 = IPV4.matcher(host);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return v4.group(1).equals("127");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                // A bracketed IPv6 literal is parsed, never looked up.
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }
}
