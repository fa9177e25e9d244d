package dev.voicegate.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void takesPageAndTokenFromTwiliosNextPageUri() {
        PageCursor cursor = PageCursor.fromNextPageUri("/2010-04-01/Accounts/AC1/Calls.json?To=%2B1415&PageSize=50"
                + "&Page=1&PageToken=PACAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
        assertEquals(new PageCursor(1, "PACAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"), cursor);
    }

    @Test
    void refusesMissingOrSuspiciousTokens() {
        assertNull(PageCursor.fromNextPageUri(null));
        assertNull(PageCursor.fromNextPageUri("/Calls.json?Page=1"));
        assertNull(PageCursor.fromNextPageUri("/Calls.json?PageToken=PA1%26To%3Dx"));
        assertNull(PageCursor.fromNextPageUri("/Calls.json?PageToken=XX123"));
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertEquals(Duration.ofSeconds(3), TwilioFailures.retryAfter("3"));
        assertNull(TwilioFailures.retryAfter("soon"));
        assertNull(TwilioFailures.retryAfter(null));
        assertEquals(Duration.ZERO, TwilioFailures.retryAfter("Tue, 31 Aug 2010 20:36:28 GMT"));
    }
}
