package dev.voicegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.TestConfig;

class ConfigCheckTest {

    static final String SID = "ACaaaaaaaabbbbbbbbccccccccdddddddd";
    static final String KEY = "SKabcdef0123456789abcdef0123456789";
    static final String OTHER = "ACeeeeeeeeffffffff0000000011111111";

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

    static final String HASH = "0123456789abcdef".repeat(4);
    static final String KEYS = "voicegate.access.keys.";

    /** The server-side account, a valid key, and the settings given. */
    static List<String> keyProblems(Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(Map.of("voicegate.twilio.account-sid", SID,
                "voicegate.twilio.auth-token", "t", KEYS + "agent.secret-sha256", HASH));
        properties.putAll(settings);
        return problems(properties);
    }

    @Test
    void acceptsWellFormedKeysAndPolicies() {
        assertEquals(List.of(), keyProblems(Map.of(KEYS + "agent.accounts", "AC" + SID.substring(2).toUpperCase(),
                KEYS + "agent.actions", "list_calls", KEYS + "agent.destinations", "+1,GB,+4420",
                KEYS + "agent.from", "+15005550006", KEYS + "agent.max-calls-per-hour", "30",
                KEYS + "other_key-2.secret-sha256", "fedcba9876543210".repeat(4),
                "voicegate.policy.destinations", "US,CA", "voicegate.policy.blocked-number-types", "NONE",
                "voicegate.policy.blocked-prefixes", "+881,+8823")));
    }

    @Test
    void anOperatorKeyNeedsNoActionsAndAnUnknownRoleIsRefused() {
        assertEquals(List.of(), keyProblems(Map.of(KEYS + "agent.role", "operator")));
        assertEquals(List.of(), keyProblems(Map.of(KEYS + "agent.role", "Operator", KEYS + "agent.actions", "list_calls")));
        assertEquals(List.of(), keyProblems(Map.of(KEYS + "agent.role", "agent")));
        assertEquals(List.of(KEYS + "agent.role: 'boss' is not a role (agent, the default: runs actions; operator: reads "
                + "the call ledger)"), keyProblems(Map.of(KEYS + "agent.role", "boss")));
        assertEquals(List.of(KEYS + "agent.role: 'operators' is not a role (agent, the default: runs actions; operator: "
                + "reads the call ledger)"), keyProblems(Map.of(KEYS + "agent.role", "operators")));
    }

    @Test
    void anApprovalPolicyIsOneOfThree() {
        for (String value : List.of("never", "new-numbers", "always", "Always")) {
            assertEquals(List.of(), keyProblems(Map.of(KEYS + "agent.approval", value)), value);
        }
        assertEquals(List.of(KEYS + "agent.approval: 'sometimes' is not an approval policy (never, the default; "
                + "new-numbers: numbers this key has not called before; always)"),
                keyProblems(Map.of(KEYS + "agent.approval", "sometimes")));
        assertEquals(List.of("voicegate.approval.ttl (VOICEGATE_APPROVAL_TTL) must be at least 1 s"),
                problems(Map.of("voicegate.approval.ttl", "PT0S")));
        assertEquals(List.of("voicegate.approval.timeout (VOICEGATE_APPROVAL_TIMEOUT) must be at least 1 s"),
                problems(Map.of("voicegate.approval.timeout", "PT0S")));
    }

    @Test
    void namesEachBadKeyOrPolicySettingOnItsOwnLine() {
        assertEquals(List.of(KEYS + "agent.accounts: " + OTHER + " is an unknown account: it has no server-side credentials "
                + "(TWILIO_ACCOUNT_SID or voicegate.twilio.accounts." + OTHER + ")"),
                keyProblems(Map.of(KEYS + "agent.accounts", SID + "," + OTHER)));
        assertEquals(List.of(KEYS + "agent.accounts: 'AC1' is not an Account SID ('AC' followed by 32 hex digits)"),
                keyProblems(Map.of(KEYS + "agent.accounts", "AC1")));
        assertEquals(List.of(KEYS + "agent.destinations: 'UK' is neither an E.164 prefix ('+' and digits, e.g. +1) nor an "
                + "ISO 3166 country code (e.g. GB)"), keyProblems(Map.of(KEYS + "agent.destinations", "+1,UK")));
        assertEquals(List.of("voicegate.policy.destinations: '44' is neither an E.164 prefix ('+' and digits, e.g. +1) nor "
                + "an ISO 3166 country code (e.g. GB)"), keyProblems(Map.of("voicegate.policy.destinations", "44")));
        assertEquals(List.of(KEYS + "agent.destinations: '+0' is neither an E.164 prefix ('+' and digits, e.g. +1) nor an "
                + "ISO 3166 country code (e.g. GB)"), keyProblems(Map.of(KEYS + "agent.destinations", "+0")));
        String notAHash = KEYS + "agent.secret-sha256 must be the SHA-256 of the key as 64 hex digits "
                + "(printf %s \"$KEY\" | sha256sum)";
        assertEquals(List.of(notAHash), keyProblems(Map.of(KEYS + "agent.secret-sha256", "my-secret-key")));
        assertEquals(List.of(notAHash), keyProblems(Map.of(KEYS + "agent.secret-sha256", HASH + "0")));
        assertEquals(List.of(KEYS + "reader.secret-sha256 must be the SHA-256 of the key as 64 hex digits "
                + "(printf %s \"$KEY\" | sha256sum)"), keyProblems(Map.of(KEYS + "reader.actions", "list_calls")));
        assertEquals(List.of(KEYS + "twin.secret-sha256 is the same as " + KEYS + "agent.secret-sha256: every key needs its "
                + "own secret"), keyProblems(Map.of(KEYS + "twin.secret-sha256", HASH.toUpperCase())));
        assertEquals(List.of(KEYS + "agent.secret-sha256 is the same as a key in SERVICE_API_KEYS: every key needs its own "
                + "secret"), keyProblems(Map.of(KEYS + "agent.secret-sha256",
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                        "voicegate.access.service-api-keys", "other,test")));
        assertEquals(List.of(KEYS + "agent.from: '***0006' is not a phone number in E.164 format, e.g. +15005550006"),
                keyProblems(Map.of(KEYS + "agent.from", "15005550006")));
        assertEquals(List.of(KEYS + "agent.max-calls-per-minute must be at least 1; leave it unset for no limit"),
                keyProblems(Map.of(KEYS + "agent.max-calls-per-minute", "0")));
        assertEquals(List.of(KEYS + "my.agent: a key's name may hold only letters, digits, '_' and '-' (at most 64)"),
                keyProblems(Map.of(KEYS + "\"my.agent\".secret-sha256", HASH.replace('0', 'f'))));
        assertEquals(List.of("voicegate.policy.blocked-number-types: 'PREMIUM' is not a libphonenumber number type "
                + "(FIXED_LINE, MOBILE, FIXED_LINE_OR_MOBILE, TOLL_FREE, PREMIUM_RATE, SHARED_COST, VOIP, PERSONAL_NUMBER, "
                + "PAGER, UAN, VOICEMAIL, UNKNOWN, or NONE)"),
                keyProblems(Map.of("voicegate.policy.blocked-number-types", "PREMIUM_RATE,PREMIUM")));
        assertEquals(List.of("voicegate.policy.blocked-prefixes: '881' is not an E.164 prefix ('+' and 1 to 15 digits), "
                + "or NONE"), keyProblems(Map.of("voicegate.policy.blocked-prefixes", "881")));
    }

    @Test
    void callingHoursAreAWindowOfTwoDifferentTimes() {
        assertEquals(List.of(), keyProblems(Map.of(KEYS + "agent.calling-hours", "08:00-21:00",
                "voicegate.policy.calling-hours", "22:00-06:00")));
        String format = "' is not a window HH:mm-HH:mm of two different times (24-hour clock, e.g. 08:00-21:00; "
                + "22:00-06:00 runs over midnight)";
        assertEquals(List.of(KEYS + "agent.calling-hours: '8-21" + format,
                "voicegate.policy.calling-hours: '09:00-09:00" + format), keyProblems(Map.of(
                        KEYS + "agent.calling-hours", "8-21", "voicegate.policy.calling-hours", "09:00-09:00")));
        for (String bad : List.of("08:00-24:00", "08:00", "08:00 - 21:00", "8:00-21:00", "08:00-21:00,22:00-23:00")) {
            assertEquals(1, keyProblems(Map.of(KEYS + "agent.calling-hours", bad)).size(), bad);
        }
        assertEquals(List.of("voicegate.do-not-call.memory-max-entries must be greater than or equal to 1"),
                problems(Map.of("voicegate.do-not-call.memory-max-entries", "0")));
    }

    @Test
    void getCallPollsMustBePositiveAndTheLongestNotShorterThanTheFirst() {
        String problem = "GET_CALL_FIRST_POLL must be at least 1ms and GET_CALL_MAX_POLL at least GET_CALL_FIRST_POLL";
        assertEquals(List.of(), problems(Map.of("voicegate.get-call.first-poll", "PT2S", "voicegate.get-call.max-poll", "PT2S")));
        assertEquals(List.of(problem), problems(Map.of("voicegate.get-call.first-poll", "PT0S")));
        assertEquals(List.of(problem), problems(Map.of("voicegate.get-call.first-poll", "PT6S")));
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

    @Test
    void theSharedBudgetsSettingsAreChecked() {
        assertEquals(List.of("TWILIO_SHARED_LEASE must be at least 300ms", "TWILIO_SHARED_TIMEOUT must be positive",
                "TWILIO_LOCAL_SHARE_PER_ACCOUNT must be from 1 to TWILIO_MAX_CONCURRENT_PER_ACCOUNT (32)"),
                problems(Map.of("voicegate.upstream.shared-lease", "PT0.299S", "voicegate.upstream.shared-timeout", "PT0S",
                        "voicegate.upstream.local-share-per-account", "33")));
        assertEquals(List.of("TWILIO_LOCAL_SHARE_PER_ACCOUNT must be from 1 to TWILIO_MAX_CONCURRENT_PER_ACCOUNT (4)"),
                problems(Map.of("voicegate.upstream.max-concurrent-per-account", "4",
                        "voicegate.upstream.local-share-per-account", "0")));
        assertEquals(List.of(), problems(Map.of("voicegate.upstream.shared-lease", "PT0.3S",
                "voicegate.upstream.shared-timeout", "PT0.001S", "voicegate.upstream.local-share-per-account", "32")));
    }

    @Test
    void theConsoleSessionSecretIsLongEnough() {
        assertEquals(List.of("CONSOLE_SESSION_SECRET must be at least 32 characters"),
                problems(Map.of("voicegate.console.session-secret", "short")));
        assertEquals(List.of(), problems(Map.of("voicegate.console.session-secret", "x".repeat(32))));
        assertEquals(List.of("CONSOLE_SESSION_TTL must be at least 1 minute"),
                problems(Map.of("voicegate.console.session-ttl", "PT10S")));
    }

    @Test
    void twilioRegionsAndEdgesOfTheSdksAreAcceptedAndOtherShapesRefused() {
        for (String region : List.of("us1", "us2", "ie1", "au1", "jp1", "de1", "br1", "sg1")) {
            assertEquals(List.of(), problems(Map.of("voicegate.twilio.region", region)), region);
        }
        for (String edge : List.of("sydney", "dublin", "tokyo", "frankfurt", "ashburn", "umatilla", "sao-paulo",
                "singapore")) {
            assertEquals(List.of(), problems(Map.of("voicegate.twilio.edge", edge)), edge);
        }
        assertEquals(List.of(), problems(Map.of("voicegate.twilio.region", "ie1", "voicegate.twilio.edge", "dublin")));
        assertEquals(List.of("TWILIO_REGION must be a Twilio Region, two lower-case letters and a number such as us1, "
                + "ie1 or au1 (got 'IE1')"), problems(Map.of("voicegate.twilio.region", "IE1")));
        for (String region : List.of("ireland", "ie", "ie1.evil.example", "ie1/", "i1")) {
            assertEquals(1, problems(Map.of("voicegate.twilio.region", region)).size(), region);
        }
        assertEquals(List.of("TWILIO_EDGE must be a Twilio edge location, lower-case words joined by '-' such as dublin, "
                + "sydney or sao-paulo (got 'evil.example.com/x')"),
                problems(Map.of("voicegate.twilio.edge", "evil.example.com/x")));
        for (String edge : List.of("Dublin", "dublin1", "-dublin", "sao_paulo", "x", "dublin@evil")) {
            assertEquals(1, problems(Map.of("voicegate.twilio.edge", edge)).size(), edge);
        }
    }
}
