package dev.voicegate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Phone numbers are masked in free text; Twilio SIDs are identifiers, not personal data, and stay whole. */
class RedactTest {

    @Test
    void sidsInANotFoundMessageStayWhole() {
        String message = "The requested resource /2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls/"
                + "CA00000000000000000000000000000000.json was not found";
        assertEquals(message, Redact.phonesIn(message));
        assertEquals("Recording RE9876543210fedcba9876543210fedcba not found",
                Redact.phonesIn("Recording RE9876543210fedcba9876543210fedcba not found"));
    }

    @Test
    void phoneNumbersBesideSidsAreStillMasked() {
        assertEquals("Call CA00000000000000000000000000000000 to ***1234 failed",
                Redact.phonesIn("Call CA00000000000000000000000000000000 to +14155551234 failed"));
        assertEquals("To=***1234&From=***0006", Redact.phonesIn("To=+14155551234&From=+15005550006"));
        assertEquals("(***1234)", Redact.phonesIn("(4155551234)"));
    }
}
