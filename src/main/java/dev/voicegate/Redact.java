package dev.voicegate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks phone numbers before they reach a log line or an error string. */
public final class Redact {

    // Runs of 6+ digits, optionally behind '+': E.164 numbers and bare national numbers alike. Not digits inside a
    // word: a Twilio SID (CA…, RE…, AC…) is an identifier, not personal data, and is shown whole.
    private static final Pattern PHONE = Pattern.compile("(?<![A-Za-z0-9])\\+?\\d{6,15}(?![A-Za-z0-9])");

    private Redact() {
    }

    /** {@code +14155551234} becomes {@code ***1234}; null stays null. */
    public static String phone(String number) {
        if (number == null) {
            return null;
        }
        return number.length() <= 4 ? "***" : "***" + number.substring(number.length() - 4);
    }

    /** Masks every phone-number-like run inside free text (e.g. a Twilio error message); SIDs stay as they are. */
    public static String phonesIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = PHONE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(phone(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
