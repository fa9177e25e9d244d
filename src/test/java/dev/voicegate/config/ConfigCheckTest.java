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
    void namesEachNumberOutOfRange() {
        assertEquals(List.of("voicegate.twilio.timeout-ms must be greater than or equal to 1"),
                problems(Map.of("voicegate.twilio.timeout-ms", "0")));
        assertEquals(List.of("voicegate.twilio.max-retries must be greater than or equal to 0",
                "voicegate.twilio.retry-delay-ms must be greater than or equal to 0"),
                problems(Map.of("voicegate.twilio.max-retries", "-1", "voicegate.twilio.retry-delay-ms", "-1")));
        assertEquals(List.of("voicegate.list-calls.recording-lookup-concurrency must be greater than or equal to 1"),
                problems(Map.of("voicegate.list-calls.recording-lookup-concurrency", "0")));
        assertEquals(List.of("voicegate.list-calls.recording-lookup-concurrency must be less than or equal to 256"),
                problems(Map.of("voicegate.list-calls.recording-lookup-concurrency", "257")));
        assertEquals(List.of("voicegate.upstream.max-concurrent-per-account must be greater than or equal to 1",
                "voicegate.upstream.max-queued-per-account must be greater than or equal to 0"),
                problems(Map.of("voicegate.upstream.max-concurrent-per-account", "0",
                        "voicegate.upstream.max-queued-per-account", "-1")));
        assertEquals(List.of("voicegate.idempotency.memory-max-keys must be greater than or equal to 1"),
                problems(Map.of("voicegate.idempotency.memory-max-keys", "0")));
        // The bounds themselves are accepted.
        assertEquals(List.of(), problems(Map.of("voicegate.twilio.timeout-ms", "1", "voicegate.twilio.max-retries", "0",
                "voicegate.list-calls.recording-lookup-concurrency", "256", "voicegate.upstream.max-queued-per-account",
                "0")));
    }
}
