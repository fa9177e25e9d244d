package dev.voicegate;

import java.util.regex.Pattern;

/**
 * The kinds of Twilio SID Voicegate checks: a two-letter prefix and 32 hex digits (either case). The one place
 * their shape is written; validation, configuration checks, access control and the sandbox all use it. Here in
 * the base package so that every package, {@code config} included, may depend on it.
 */
public enum Sid {
    ACCOUNT("AC", "an Account SID"),
    API_KEY("SK", "an API Key SID"),
    CALL("CA", "a Call SID"),
    RECORDING("RE", "a Recording SID"),
    TRANSCRIPTION("TR", "a Transcription SID");

    private static final String HEX_32 = "[0-9a-fA-F]{32}";
    /** Any SID, whatever its kind, as a regular expression (Twilio's page tokens embed one). */
    public static final String ANY_REGEX = "[A-Z]{2}" + HEX_32;

    private final String prefix;
    private final String kind;
    private final Pattern pattern;

    Sid(String prefix, String kind) {
        this.prefix = prefix;
        this.kind = kind;
        this.pattern = Pattern.compile(prefix + HEX_32);
    }

    public String prefix() {
        return prefix;
    }

    /** The kind in words, with its article: {@code an Account SID}. */
    public String kind() {
        return kind;
    }

    /** This kind as a regular expression, to compose a route or a wider pattern. */
    public String regex() {
        return pattern.pattern();
    }

    /** Whether the whole value is a SID of this kind; false for null. */
    public boolean matches(String value) {
        // By hand rather than with the pattern: list_calls checks every SID of a page of 1000, and the regex
        // showed in its profile. Same answer as regex().
        if (value == null || value.length() != prefix.length() + 32 || !value.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** The shape in words: {@code 'AC' followed by 32 hex digits}. */
    public String shape() {
        return "'" + prefix + "' followed by 32 hex digits";
    }

    /** The kind and shape in words: {@code an Account SID: 'AC' followed by 32 hex digits}. */
    public String describe() {
        return kind + ": " + shape();
    }
}
