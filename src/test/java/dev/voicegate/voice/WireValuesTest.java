package dev.voicegate.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.voicegate.Redact;
import dev.voicegate.failure.ActionException;
import dev.voicegate.twilio.PageCursor;

class WireValuesTest {

    @Test
    void convertsRfc2822DatesToIsoUtc() {
        assertEquals("2010-08-31T20:36:28Z", WireValues.isoUtc("Tue, 31 Aug 2010 20:36:28 +0000"));
        assertEquals("2010-08-31T18:36:28Z", WireValues.isoUtc("Tue, 31 Aug 2010 20:36:28 +0200"));
        assertEquals("2010-08-31T20:36:28Z", WireValues.isoUtc("Tue, 31 Aug 2010 20:36:28 -0000"));
        assertEquals("2010-08-31T21:06:28Z", WireValues.isoUtc("Tue, 31 Aug 2010 20:36:28 -0030"));
        assertEquals(ZoneOffset.UTC, WireValues.instant("Tue, 31 Aug 2010 20:36:28 +0000").getOffset());
        assertEquals("2010-08-31T20:36:28Z", WireValues.isoUtc("2010-08-31T20:36:28Z"));
        assertNull(WireValues.isoUtc(""));
        assertNull(WireValues.isoUtc("yesterday"));
    }

    @Test
    void twilioShapedDatesReadFieldByFieldGiveWhatTheRfc1123FormatterGives() {
        DateTimeFormatter twilio = DateTimeFormatter
                .ofPattern("EEE, dd MMM yyyy HH:mm:ss xx", Locale.ENGLISH);
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            OffsetDateTime at = OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(random.nextLong(4_102_444_800L)),
                    ZoneOffset.ofTotalSeconds((random.nextInt(36 * 4 + 1) - 18 * 4) * 15 * 60));
            String text = twilio.format(at);
            OffsetDateTime expected = ZonedDateTime.parse(text,
                    DateTimeFormatter.RFC_1123_DATE_TIME).toOffsetDateTime()
                    .withOffsetSameInstant(ZoneOffset.UTC);
            assertEquals(expected, WireValues.twilioShape(text), text);
        }
    }

    @Test
    void isoTextWrittenByHandIsWhatIsoInstantWrites() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_800L),
                    i % 4 == 0 ? random.nextInt(1_000_000_000) : 0);
            OffsetDateTime utc = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(at), WireValues.iso(utc), at.toString());
        }
        assertEquals("0999-12-31T23:59:59Z", WireValues.iso(OffsetDateTime.parse("0999-12-31T23:59:59Z")));
    }

    @Test
    void anyOtherShapeOrAnInconsistentDateIsLeftToTheFormatter() {
        assertNull(WireValues.twilioShape("Wed, 31 Aug 2010 20:36:28 +0000")); // 31 Aug 2010 was a Tuesday
        assertNull(WireValues.isoUtc("Wed, 31 Aug 2010 20:36:28 +0000"));
        assertNull(WireValues.twilioShape("Tue, 31 aug 2010 20:36:28 +0000"));
        assertEquals("2010-08-31T20:36:28Z", WireValues.isoUtc("Tue, 31 aug 2010 20:36:28 +0000"));
        assertNull(WireValues.twilioShape("Thu, 31 Feb 2011 20:36:28 +0000"));
        assertNull(WireValues.isoUtc("Thu, 31 Feb 2011 20:36:28 +0000"));
        assertNull(WireValues.twilioShape("Tue, 31 Aug 2010 20:36:28 GMT"));
        assertEquals("2010-08-31T20:36:28Z", WireValues.isoUtc("Tue, 31 Aug 2010 20:36:28 GMT"));
        assertEquals("2008-06-03T11:05:30Z", WireValues.isoUtc("Tue, 3 Jun 2008 11:05:30 GMT"));
        assertNull(WireValues.twilioShape("Tue, 31 Aug 2010 20:36:28 +2400"));
        assertNull(WireValues.twilioShape("Tue, 31 Aug 2010 2x:36:28 +0000"));
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
