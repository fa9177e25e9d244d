package dev.voicegate.idempotency;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What tells "same key, same request" from a reused key: a SHA-256 over every component of the request
 * record but the key itself, so a parameter added to the record is covered without being listed here.
 * Components count in declaration order, as {@code snake_name=value} lines, which is the form fingerprints
 * stored by earlier versions have. The record must be registered for reflection (native image).
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** The fingerprint of {@code request} without its component {@code keyComponent}. */
    public static String of(Record request, String keyComponent) {
        List<String> lines = new ArrayList<>();
        boolean keySeen = false;
        for (RecordComponent component : request.getClass().getRecordComponents()) {
            if (component.getName().equals(keyComponent)) {
                keySeen = true;
            } else {
                lines.add(snakeCase(component.getName()) + "=" + value(request, component));
            }
        }
        if (!keySeen) {
            throw new IllegalArgumentException(request.getClass().getSimpleName() + " has no component " + keyComponent);
        }
        return sha256(String.join("\n", lines));
    }

    private static Object value(Record request, RecordComponent component) {
        try {
            return component.getAccessor().invoke(request);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("record accessors are public", e);
        }
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
