package dev.voicegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.TestConfig;

class ConfigCheckTest {

    static final String SID = "ACaaaaaaaabbbbbbbbccccccccdddddddd";
    static final String KEY = "SKabcdef0123456789abcdef0123456789";

    static List<String> problems(Map<String, String> properties) {
        return ConfigCheck.problems(TestConfig.of(properties));
    }

    @Test
    void acceptsNoCredentialsAndEachCompleteShape() {
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(Map.of("voicegate.twilio.account-sid", SID, "voicegate.twilio.auth-token", "t")));
        assertEquals(List.of(), problems(Map.of("voicegate.twilio.account-sid", SID, "voicegate.twilio.api-key", KEY,
                "voicegate.twilio.api-secret", "s")));
        assertEquals(List.of(), problems(Map.of("voicegate.twilio.accounts." + SID + ".auth-token", "t")));
    }

    @Test
    void namesEachHalfConfiguredOrMalformedSetting() {
        assertEquals(List.of("TWILIO_AUTH_TOKEN, TWILIO_API_KEY or TWILIO_API_SECRET is set without TWILIO_ACCOUNT_SID"),
                problems(Map.of("voicegate.twilio.auth-token", "t")));
        assertEquals(List.of("TWILIO_ACCOUNT_SID must be 'AC' followed by 32 hex digits"),
                problems(Map.of("voicegate.twilio.account-sid", "AC123", "voicegate.twilio.auth-token", "t")));
        assertEquals(List.of("TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN or TWILIO_API_KEY + TWILIO_API_SECRET"),
                problems(Map.of("voicegate.twilio.account-sid", SID)));
        assertEquals(List.of("TWILIO_API_KEY and TWILIO_API_SECRET must be set together"),
                problems(Map.of("voicegate.twilio.account-sid", SID, "voicegate.twilio.auth-token", "t",
                        "voicegate.twilio.api-key", KEY)));
        assertEquals(List.of("TWILIO_API_KEY must be an API Key SID: 'SK' followed by 32 hex digits"),
                problems(Map.of("voicegate.twilio.account-sid", SID, "voicegate.twilio.api-key", "key",
                        "voicegate.twilio.api-secret", "s")));
        assertEquals(List.of("voicegate.twilio.accounts.AC1: the key must be an Account SID ('AC' followed by 32 hex digits)"),
                problems(Map.of("voicegate.twilio.accounts.AC1.auth-token", "t")));
    }

    @Test
    void getCallPollsMustBePositiveAndTheLongestNotShorterThanTheFirst() {
        String problem = "GET_CALL_FIRST_POLL must be at least 1ms and GET_CALL_MAX_POLL at least GET_CALL_FIRST_POLL";
        assertEquals(List.of(), problems(Map.of("voicegate.get-call.first-poll", "PT2S", "voicegate.get-call.max-poll", "PT2S")));
        assertEquals(List.of(problem), problems(Map.of("voicegate.get-call.first-poll", "PT0S")));
        assertEquals(List.of(problem), problems(Map.of("voicegate.get-call.first-poll", "PT6S")));
    }
}
