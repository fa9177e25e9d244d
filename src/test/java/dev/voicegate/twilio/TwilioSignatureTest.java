package dev.voicegate.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    /** Twilio's published test vector ("Webhooks security"). */
    static final String URL = "https://example.com/myapp.php?foo=1&bar=2";
    static final Map<String, List<String>> FIELDS = Map.of("CallSid", List.of("CA1234567890ABCDE"),
            "Caller", List.of("+14158675310"), "Digits", List.of("1234"), "From", List.of("+14158675310"),
            "To", List.of("+18005551212"));

    @Test
    void twiliosTestVector() {
        assertEquals("L/OH5YylLD5NRKLltdqwSvS0BnU=", TwilioSignature.sign("12345", URL, FIELDS));
        assertTrue(TwilioSignature.matches("L/OH5YylLD5NRKLltdqwSvS0BnU=", "12345", URL, FIELDS));
    }

    @Test
    void anyChangeBreaksIt() {
        assertFalse(TwilioSignature.matches("L/OH5YylLD5NRKLltdqwSvS0BnU=", "12346", URL, FIELDS));
        assertFalse(TwilioSignature.matches("L/OH5YylLD5NRKLltdqwSvS0BnU=", "12345", URL + "&x=1", FIELDS));
        assertFalse(TwilioSignature.matches("L/OH5YylLD5NRKLltdqwSvS0BnU=", "12345", URL,
                Map.of("CallSid", List.of("CA1234567890ABCDE"))));
        assertFalse(TwilioSignature.matches(null, "12345", URL, FIELDS));
        assertFalse(TwilioSignature.matches("L/OH5YylLD5NRKLltdqwSvS0BnU=", "", URL, FIELDS));
    }
}
