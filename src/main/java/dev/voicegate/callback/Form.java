package dev.voicegate.callback;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A form body ({@code application/x-www-form-urlencoded}), every field kept: a name sent twice keeps both values,
 * in order, since every value counts in the signature.
 */
record Form(Map<String, List<String>> fields) {

    /** Throws {@link IllegalArgumentException} for a body that is not a well-formed UTF-8 form. */
    static Form parse(byte[] body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        fields.replaceAll((name, values) -> List.copyOf(values));
        return new Form(Collections.unmodifiableMap(fields));
    }

    /** The first value of a field, or null. */
    String first(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The fields form-encoded again, in the order received. */
    String encoded() {
        StringJoiner joined = new StringJoiner("&");
        fields.forEach((name, values) -> values.forEach(value -> joined.add(
                encode(name) + "=" + encode(value))));
        return joined.toString();
    }

    @Override
    public String toString() {
        // The fields hold phone numbers: never printed.
        return "Form[" + fields.keySet() + "]";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
