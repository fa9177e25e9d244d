package dev.voicegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class SidTest {

    static final String HEX = "0123456789abcdef0123456789ABCDEF";

    @Test
    void eachKindIsItsPrefixAnd32HexDigitsInEitherCase() {
        for (Sid kind : Sid.values()) {
            assertTrue(kind.matches(kind.prefix() + HEX), kind.name());
            assertTrue((kind.prefix() + HEX).matches(kind.regex()), kind.name());
            for (String bad : List.of(kind.prefix() + HEX.substring(1), kind.prefix() + HEX + "0",
                    kind.prefix() + HEX.replace('f', 'g'), kind.prefix().toLowerCase() + HEX, " " + kind.prefix() + HEX,
                    kind.prefix() + HEX + "\n", "")) {
                assertFalse(kind.matches(bad), kind.name() + " " + bad);
            }
            assertFalse(kind.matches(null));
            assertTrue((kind.prefix() + HEX).matches(Sid.ANY_REGEX));
        }
        assertFalse(Sid.ACCOUNT.matches(Sid.API_KEY.prefix() + HEX));
        assertEquals(List.of("AC", "SK", "CA", "RE", "TR"), Stream.of(Sid.values()).map(Sid::prefix).toList());
    }

    @Test
    void theCheckByHandAgreesWithItsRegexEvenForDigitsOutsideAscii() {
        for (Sid kind : Sid.values()) {
            for (String value : List.of(kind.prefix() + HEX, kind.prefix() + HEX.toUpperCase(),
                    kind.prefix() + HEX.replace('0', '\uFF10'), kind.prefix() + HEX.replace('1', '\u0661'),
                    kind.prefix() + HEX.replace('a', 'G'), kind.prefix() + HEX.substring(2) + "/x",
                    kind.prefix() + kind.prefix() + HEX.substring(2))) {
                assertEquals(value.matches(kind.regex()), kind.matches(value), kind.name() + " " + value);
            }
        }
    }

    @Test
    void describesItselfForErrorMessages() {
        assertEquals("an Account SID: 'AC' followed by 32 hex digits", Sid.ACCOUNT.describe());
        assertEquals("a Recording SID: 'RE' followed by 32 hex digits", Sid.RECORDING.describe());
        assertEquals("an API Key SID", Sid.API_KEY.kind());
        assertEquals("'SK' followed by 32 hex digits", Sid.API_KEY.shape());
    }

    /** The shape of a SID is written in Sid alone: a second copy is how two checks of one SID come to differ. */
    @Test
    void noOtherMainSourceWritesTheShapeOut() throws IOException {
        Pattern shape = Pattern.compile("\\{32}|(AC|SK|CA|RE|TR)\\[0-9a-");
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            List<String> copies = sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.endsWith(Path.of("dev/voicegate/Sid.java")))
                    .filter(path -> shape.matcher(read(path)).find())
                    .map(Path::toString).toList();
            assertEquals(List.of(), copies);
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
