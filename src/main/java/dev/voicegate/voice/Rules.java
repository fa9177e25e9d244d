package dev.voicegate.voice;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

import dev.voicegate.Sid;

import dev.voicegate.failure.ActionException;

/**
 * Input rules shared by the actions. Each check names the parameter at fault; all run before anything
 * is sent to Twilio, and SIDs are checked here before they can reach a URL path. Every string parameter has
 * passed {@link #text} (the parser runs it on each) before the rule for its kind.
 */
public final class Rules {

    public static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{1,14}$");
    /** Longest URL Voicegate forwards; Twilio's own limit is not published, browsers stop near here too. */
    static final int MAX_URL_LENGTH = 2048;
    /** Longest string parameter accepted, but for TwiML ({@link Twiml#MAX_LENGTH}). */
    static final int MAX_STRING_LENGTH = 4096;

    private Rules() {
    }

    public static void required(String name, Object value) {
        if (value == null) {
            throw ActionException.invalid("'" + name + "' is required");
        }
    }

    public static void accountSid(String name, String value) {
        required(name, value);
        sid(name, value, Sid.ACCOUNT);
    }

    public static void sid(String name, String value, Sid kind) {
        if (value != null && !kind.matches(value)) {
            throw ActionException.invalid("'" + name + "' must be " + kind.describe());
        }
    }

    public static void phoneNumber(String name, String value) {
        matches(name, value, E164, "a phone number in E.164 format, e.g. +14155551234");
    }

    public static void matches(String name, String value, Pattern pattern, String what) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw ActionException.invalid("'" + name + "' must be " + what);
        }
    }

    public static void oneOf(String name, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw ActionException.invalid("'" + name + "' must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    public static void between(String name, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw notBetween(name, min, max);
        }
    }

    /** The error for an integer parameter out of its range, or not an integer at all. */
    public static ActionException notBetween(String name, int min, int max) {
        return ActionException.invalid("'" + name + "' must be an integer from " + min + " to " + max);
    }

    /**
     * What every string parameter is checked for first, before its type and its own rule: its length limit, and no
     * control characters but the tabs and line breaks multi-line TwiML may hold.
     */
    public static void text(String name, String value) {
        boolean twiml = name.equals(Twiml.PARAMETER);
        atMost(name, value, twiml ? Twiml.MAX_LENGTH : MAX_STRING_LENGTH);
        if (value.chars().anyMatch(c -> c == 0x7f || (c < 0x20 && !(twiml && (c == '\t' || c == '\n' || c == '\r'))))) {
            throw ActionException.invalid("'" + name + "' must not contain control characters");
        }
    }

    /** An absolute http(s) URL with a host, as Twilio needs for webhooks (its characters are checked by {@link #text}). */
    public static void httpUrl(String name, String value) {
        if (value == null) {
            return;
        }
        atMost(name, value, MAX_URL_LENGTH);
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw ActionException.invalid("'" + name + "' must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            throw ActionException.invalid("'" + name + "' must be an absolute http or https URL");
        }
    }

    /** A {@code YYYY-MM-DD} date. */
    public static LocalDate date(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("not YYYY-MM-DD", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ActionException.invalid("'" + name + "' must be a date as YYYY-MM-DD");
        }
    }

    private static void atMost(String name, String value, int max) {
        if (value.length() > max) {
            throw ActionException.invalid("'" + name + "' must be at most " + max + " characters");
        }
    }
}
