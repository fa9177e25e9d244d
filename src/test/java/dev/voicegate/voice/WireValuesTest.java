package dev.voicegate.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.voicegate.Redact;
import dev.voicegate.failure.ActionException;
import dev.voicegate.twilio.PageCursor;

class WireValuesTest {

    @Test
    void convertsRfc2822DatesToIsoUtc() {
        assertEquals("2010-08-31T20:36:28Z", WireValues.isoUtc("Tue, 31 Aug 2010 20:36:28 +0000"));
        assertEquals("2010-08-31T18:36:28Z", WireValues.isoUtc("Tue, 31 Aug 2010 20:36:28 +0200"));
        assertEquals("2010-08-31T20:36:28Z", WireValues.isoUtc("2010-08-31T20:36:28Z"));
        assertNull(WireValues.isoUtc(""));
        assertNull(WireValues.isoUtc("yesterday"));
    }

    @Test
    void readsDurationsAsIntegersOrNull() {
        assertEquals(15, WireValues.seconds("15"));
        assertNull(WireValues.seconds(null));
        assertNull(WireValues.seconds(""));
        assertNull(WireValues.seconds("n/a"));
    }

    @Test
    void pageTokensRoundTripAndRejectForgeries() {
        PageCursor cursor = new PageCursor(3, "PACAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
        assertEquals(cursor, PageTokens.decode(PageTokens.encode(cursor)));
        assertThrows(ActionException.class, () -> PageTokens.decode("not-base64!"));
        assertThrows(ActionException.class, () -> PageTokens.decode(
                java.util.Base64.getUrlEncoder().encodeToString("1:PA1&To=+1".getBytes())));
    }

    @Test
    void masksPhoneNumbers() {
        assertEquals("***1234", Redact.phone("+14155551234"));
        assertEquals("Invalid 'To' Phone Number: ***1234.", Redact.phonesIn("Invalid 'To' Phone Number: +14155551234."));
        assertEquals("code 21211", Redact.phonesIn("code 21211"));
    }
}
