package dev.voicegate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.voicegate.testing.TestConfig;
import dev.voicegate.twilio.TwilioCredentials;

/** Server-side credentials from real configuration: primary account, API keys, further accounts. */
class TwilioAccountsTest {

    static final String PRIMARY = "ACaaaaaaaabbbbbbbbccccccccdddddddd";
    static final String SECOND = "AC00000000000000000000000000000001";
    static final String THIRD = "AC00000000000000000000000000000002";

    static TwilioAccounts accounts(Map<String, String> properties) {
        return new TwilioAccounts(TestConfig.of(properties));
    }

    @Test
    void primaryAccountWithAuthToken() {
        TwilioAccounts accounts = accounts(Map.of("voicegate.twilio.account-sid", PRIMARY,
                "voicegate.twilio.auth-token", "tok"));
        assertEquals(new TwilioCredentials(PRIMARY, PRIMARY, "tok"), accounts.forAccount(PRIMARY).orElseThrow());
        assertEquals(new TwilioCredentials(PRIMARY, PRIMARY, "tok"), accounts.forAccount("AC" + PRIMARY.substring(2).toUpperCase()).orElseThrow(), "hex SIDs match whatever their case");
        assertTrue(accounts.forAccount(SECOND).isEmpty());
    }

    @Test
    void apiKeyPairWinsOverAuthToken() {
        TwilioAccounts accounts = accounts(Map.of("voicegate.twilio.account-sid", PRIMARY,
                "voicegate.twilio.auth-token", "tok",
                "voicegate.twilio.api-key", "SKabcdef0123456789abcdef0123456789",
                "voicegate.twilio.api-secret", "secret"));
        assertEquals(new TwilioCredentials(PRIMARY, "SKabcdef0123456789abcdef0123456789", "secret"),
                accounts.forAccount(PRIMARY).orElseThrow());
    }

    @Test
    void furtherAccountsAreKeyedByAccountSid() {
        TwilioAccounts accounts = accounts(Map.of(
                "voicegate.twilio.accounts." + SECOND + ".auth-token", "second-token",
                "voicegate.twilio.accounts." + THIRD + ".api-key", "SK00000000000000000000000000000003",
                "voicegate.twilio.accounts." + THIRD + ".api-secret", "third-secret"));
        assertEquals(new TwilioCredentials(SECOND, SECOND, "second-token"), accounts.forAccount(SECOND).orElseThrow());
        assertEquals(new TwilioCredentials(THIRD, "SK00000000000000000000000000000003", "third-secret"),
                accounts.forAccount(THIRD).orElseThrow());
        assertTrue(accounts.forAccount(PRIMARY).isEmpty());
    }

    @Test
    void anAccountWithoutASecretHasNoCredentials() {
        TwilioAccounts accounts = accounts(Map.of("voicegate.twilio.account-sid", PRIMARY,
                "voicegate.twilio.api-key", "SKabcdef0123456789abcdef0123456789"));
        assertTrue(accounts.forAccount(PRIMARY).isEmpty());
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertEquals(false, new TwilioCredentials(PRIMARY, PRIMARY, "tok-secret").toString().contains("tok-secret"));
    }

    @Test
    void webhookTokensAreTheAuthTokensTwilioSignsWith() {
        TwilioAccounts accounts = accounts(Map.of("voicegate.twilio.account-sid", PRIMARY,
                "voicegate.twilio.api-key", "SKabcdef0123456789abcdef0123456789",
                "voicegate.twilio.api-secret", "secret",
                "voicegate.twilio.webhook-auth-token", "primary-webhook",
                "voicegate.twilio.accounts." + SECOND + ".auth-token", "second-token",
                "voicegate.twilio.accounts." + THIRD + ".api-key", "SK00000000000000000000000000000003",
                "voicegate.twilio.accounts." + THIRD + ".api-secret", "third-secret"));
        assertEquals(Optional.of("primary-webhook"), accounts.webhookToken(PRIMARY), "the webhook token beside an API key");
        assertEquals(Optional.of("second-token"), accounts.webhookToken(SECOND.toUpperCase()), "else the Auth Token");
        assertEquals(Optional.empty(), accounts.webhookToken(THIRD), "an API key alone cannot check a signature");
        assertEquals(Optional.empty(), accounts.webhookToken("AC99999999999999999999999999999999"));
        assertEquals(Optional.empty(), accounts.webhookToken(null));
    }

    @Test
    void theWebhookTokenWinsOverTheAuthToken() {
        TwilioAccounts accounts = accounts(Map.of("voicegate.twilio.account-sid", PRIMARY,
                "voicegate.twilio.auth-token", "tok",
                "voicegate.twilio.webhook-auth-token", "primary-webhook",
                "voicegate.twilio.accounts." + SECOND + ".auth-token", "second-token",
                "voicegate.twilio.accounts." + SECOND + ".webhook-auth-token", "second-webhook"));
        assertEquals(Optional.of("primary-webhook"), accounts.webhookToken(PRIMARY));
        assertEquals(Optional.of("second-webhook"), accounts.webhookToken(SECOND));
        assertEquals(Optional.of("tok"), accounts(Map.of("voicegate.twilio.account-sid", PRIMARY,
                "voicegate.twilio.auth-token", "tok")).webhookToken(PRIMARY));
    }

    @Test
    void theSandboxAccountSignsWithTheSandboxToken() {
        String sandbox = "AC0123456789abcdef0123456789abcdef";
        assertEquals(Optional.of("sandbox-auth-token"), accounts(Map.of("voicegate.sandbox.enabled", "true"))
                .webhookToken(sandbox));
        assertEquals(Optional.empty(), accounts(Map.of()).webhookToken(sandbox), "only while the sandbox is on");
    }
}
