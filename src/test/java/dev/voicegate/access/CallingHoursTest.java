package dev.voicegate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * The calling-hours window on its own, and the numbers the tests use as libphonenumber 9.0.43 parses them and
 * geocoder 3.2's mapper places them: the two are different releases, so the zones each number maps to are pinned here.
 */
class CallingHoursTest {

    static final CallingHours DAY = CallingHours.parse("08:00-21:00").orElseThrow();
    static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    /** San Francisco: one zone. */
    static final String SF = "+14155550123";
    /** An Australian mobile: every mainland zone, Lord Howe and two islands in the Indian Ocean. */
    static final String AU_MOBILE = "+61412345678";
    /** A US toll-free number: every NANP zone, from Guam to Samoa. */
    static final String TOLL_FREE = "+18005550199";

    @Test
    void theFormatIsHoursAndMinutesTwice() {
        assertEquals(new CallingHours(LocalTime.of(8, 0), LocalTime.of(21, 0)), DAY);
        assertEquals("08:00-21:00", DAY.toString());
        assertTrue(CallingHours.parse(" 22:00-06:30 ").isPresent());
        for (String bad : new String[] {"8:00-21:00", "08:00-24:00", "08:00", "08:00-08:00", "08:60-09:00", "",
                "08:00 - 21:00", "08h00-21h00"}) {
            assertEquals(Optional.empty(), CallingHours.parse(bad), bad);
        }
    }

    @Test
    void bothEdgesOfTheWindowInOneZone() {
        List<ZoneId> zones = List.of(LA);
        // 2026-07-01: Los Angeles is UTC-7.
        assertRefused(zones, "2026-07-01T14:59:00Z", "07:59 (America/Los_Angeles)", Duration.ofMinutes(1));
        assertNull(DAY.check(zones, Instant.parse("2026-07-01T15:00:00Z")));
        assertNull(DAY.check(zones, Instant.parse("2026-07-02T03:59:59Z")));
        assertRefused(zones, "2026-07-02T04:00:00Z", "21:00 (America/Los_Angeles)", Duration.ofHours(11));
    }

    @Test
    void aWindowOverMidnight() {
        CallingHours night = CallingHours.parse("22:00-06:00").orElseThrow();
        assertTrue(night.contains(LocalTime.of(23, 0)));
        assertTrue(night.contains(LocalTime.of(5, 59)));
        assertTrue(!night.contains(LocalTime.of(6, 0)));
        assertTrue(!night.contains(LocalTime.of(21, 59)));
    }

    @Test
    void severalZonesMustAllBeInside() {
        List<ZoneId> zones = zones(AU_MOBILE);
        // 2026-07-01 (winter): Cocos UTC+6:30 is the first to open, Lord Howe UTC+10:30 the first to close.
        // 01:30Z: 08:00 on Cocos, 11:30 on Lord Howe: every zone is inside.
        assertNull(DAY.check(zones, Instant.parse("2026-07-01T01:30:00Z")));
        // 01:29Z: 07:59 on Cocos, though 11:29 in Sydney: refused until 01:30Z.
        CallingHours.Outside early = DAY.check(zones, Instant.parse("2026-07-01T01:29:00Z"));
        assertNotNull(early);
        assertTrue(early.localTimes().contains("07:59 (Indian/Cocos)"), early.localTimes());
        assertTrue(early.localTimes().contains("11:29 (Australia/Sydney)"), early.localTimes());
        assertEquals(Duration.ofMinutes(1), early.opensIn());
        // 10:29Z: 20:59 on Lord Howe: inside; 10:30Z: 21:00 there, 18:30 in Perth: refused until 01:30Z the next day.
        assertNull(DAY.check(zones, Instant.parse("2026-07-01T10:29:00Z")));
        CallingHours.Outside late = DAY.check(zones, Instant.parse("2026-07-01T10:30:00Z"));
        assertNotNull(late);
        assertTrue(late.localTimes().contains("21:00 (Australia/Lord_Howe)"), late.localTimes());
        assertEquals(Duration.ofHours(15), late.opensIn());
    }

    @Test
    void zonesTooFarApartForTheWindowNeverOpenTogether() {
        // One hour, across zones 4.5 hours apart.
        CallingHours hour = CallingHours.parse("09:00-10:00").orElseThrow();
        CallingHours.Outside outside = hour.check(zones(AU_MOBILE), Instant.parse("2026-07-01T18:00:00Z"));
        assertNotNull(outside);
        assertNull(outside.opensIn());
        // The US toll-free range spans Guam (UTC+10) to Samoa (UTC-11): 08:00-21:00 is open in all of them from
        // 22:00Z (08:00 in Guam) while Samoa is still before 21:00 (until 08:00Z).
        assertEquals(Duration.ofHours(4), DAY.check(zones(TOLL_FREE), Instant.parse("2026-07-01T18:00:00Z")).opensIn());
    }

    /** libphonenumber 9.0.43 parses, geocoder 3.2 maps: the zones of every number the calling-hours tests use. */
    @Test
    void libphonenumberAndTheTimeZoneMapperAgreeOnTheNumbersUsed() throws IOException {
        assertEquals(List.of("9.0.43"), versions("libphonenumber"));
        assertEquals(List.of("3.2"), versions("geocoder"));
        assertEquals(List.of("America/Los_Angeles"), zoneIds(SF));
        assertEquals(List.of("Australia/Adelaide", "Australia/Brisbane", "Australia/Eucla", "Australia/Lord_Howe",
                "Australia/Perth", "Australia/Sydney", "Indian/Christmas", "Indian/Cocos"), zoneIds(AU_MOBILE));
        assertTrue(zoneIds(TOLL_FREE).containsAll(List.of("Pacific/Guam", "Pacific/Pago_Pago", "America/New_York")));
        assertEquals(List.of("Europe/Moscow"), zoneIds("+74951234567"));
        assertEquals(List.of("Europe/London"), zoneIds("+442071234567"));
        // Every zone the mapper names is one java.time knows.
        for (String number : List.of(SF, AU_MOBILE, TOLL_FREE)) {
            zoneIds(number).forEach(ZoneId::of);
        }
    }

    /** The Maven versions of the artifact's jars on the class path: exactly one of each is expected. */
    static List<String> versions(String artifact) throws IOException {
        List<URL> found = Collections.list(CallingHoursTest.class.getClassLoader().getResources(
                "META-INF/maven/com.googlecode.libphonenumber/" + artifact + "/pom.properties"));
        return found.stream().map(url -> {
            try (InputStream in = url.openStream()) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static List<String> zoneIds(String e164) {
        try {
            return PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(
                    PhoneNumberUtil.getInstance().parse(e164, "ZZ"));
        } catch (NumberParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<ZoneId> zones(String e164) {
        return zoneIds(e164).stream().map(ZoneId::of).toList();
    }

    private static void assertRefused(List<ZoneId> zones, String at, String local, Duration opensIn) {
        CallingHours.Outside outside = DAY.check(zones, Instant.parse(at));
        assertNotNull(outside, at);
        assertEquals(local, outside.localTimes());
        assertEquals(opensIn, outside.opensIn());
    }
}
