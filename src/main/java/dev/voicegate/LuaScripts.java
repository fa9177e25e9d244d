package dev.voicegate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The Lua scripts Voicegate sends to Redis, read from resources beside the class that sends them (listed in
 * {@code quarkus.native.resources.includes} for a native executable).
 */
public final class LuaScripts {

    private LuaScripts() {
    }

    /** The script {@code name}, beside {@code owner}, without its comment lines: it is sent with every EVAL. */
    public static String read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("--")).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
