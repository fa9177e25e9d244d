package dev.voicegate.voice;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.voicegate.failure.ActionException;

/** The checks every string parameter gets first ({@link Rules#text}): one length limit each, one character rule. */
class RulesTest {

    static String error(String name, String value) {
        return assertThrows(ActionException.class, () -> Rules.text(name, value)).failure().error();
    }

    @Test
    void twimlHasItsOwnLimitWhateverItsLength() {
        assertDoesNotThrow(() -> Rules.text("twiml", "a".repeat(4000)));
        for (int length : new int[] { 4001, 4096, 4097, 70_000 }) {
            assertEquals("invalid_request: 'twiml' must be at most 4000 characters", error("twiml", "a".repeat(length))
                    .split("\\. ")[0], "length " + length);
        }
    }

    @Test
    void everyOtherStringHasTheGenericLimit() {
        assertDoesNotThrow(() -> Rules.text("status_callback", "a".repeat(4096)));
        assertEquals("invalid_request: 'status_callback' must be at most 4096 characters",
                error("status_callback", "a".repeat(4097)).split("\\. ")[0]);
    }

    @Test
    void onlyTwimlMayHoldTabsAndLineBreaks() {
        for (String whitespace : new String[] { "\t", "\n", "\r" }) {
            assertDoesNotThrow(() -> Rules.text("twiml", "<Response>" + whitespace + "</Response>"));
            assertEquals("invalid_request: 'url' must not contain control characters",
                    error("url", "https://e.com/" + whitespace).split("\\. ")[0]);
        }
        for (String control : new String[] { "\u0000", "\u0007", "\u001b", "\u007f" }) {
            assertEquals("invalid_request: 'twiml' must not contain control characters",
                    error("twiml", "<Response>" + control + "</Response>").split("\\. ")[0]);
            assertEquals("invalid_request: 'to' must not contain control characters",
                    error("to", "+1415" + control).split("\\. ")[0]);
        }
    }
}
