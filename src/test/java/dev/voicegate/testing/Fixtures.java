package dev.voicegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real-format Twilio JSON bodies under {@code src/test/resources/twilio/} (see its README). */
public final class Fixtures {

    private Fixtures() {
    }

    /** The fixture {@code /twilio/<name>} from the classpath, e.g. {@code read("calls-page.json")}. */
    public static String read(String name) {
        String path = "/twilio/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture on the classpath at " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read fixture " + path, e);
        }
    }
}
