package dev.voicegate.access;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.twilio.TwilioCredentials;

/**
 * The server-side Twilio credentials, by account SID: the primary account from
 * {@code TWILIO_ACCOUNT_SID} (with an Auth Token or an API key pair) and any further configured accounts.
 * An API key pair wins over an Auth Token when both are set, as Twilio recommends keys for production.
 * Beside them, the Auth Token each account's webhooks are signed with ({@link #webhookToken}).
 */
@ApplicationScoped
public class TwilioAccounts {

    private final Map<String, TwilioCredentials> byAccount = new HashMap<>();
    private final Map<String, String> webhookTokens = new HashMap<>();

    TwilioAccounts(VoicegateConfig config) {
        VoicegateConfig.Twilio twilio = config.twilio();
        twilio.accountSid().ifPresent(sid -> {
            credentials(sid, twilio.authToken(), twilio.apiKey(), twilio.apiSecret())
                    .ifPresent(c -> byAccount.put(key(sid), c));
            twilio.webhookAuthToken().or(twilio::authToken).ifPresent(token -> webhookTokens.put(key(sid), token));
        });
        twilio.accounts().forEach((sid, account) -> {
            credentials(sid, account.authToken(), account.apiKey(), account.apiSecret())
                    .ifPresent(c -> byAccount.put(key(sid), c));
            account.webhookAuthToken().or(account::authToken).ifPresent(token -> webhookTokens.put(key(sid), token));
        });
        // The embedded sandbox signs its callbacks as Twilio would, with the token it accepts.
        if (config.sandbox().enabled()) {
            webhookTokens.put(key(config.sandbox().accountSid()), config.sandbox().authToken());
        }
    }

    /** Every account with server-side credentials, by SID. */
    public List<String> accountSids() {
        return byAccount.values().stream().map(TwilioCredentials::accountSid).sorted().toList();
    }

    /** Credentials configured for this account, if any. */
    public Optional<TwilioCredentials> forAccount(String accountSid) {
        return accountSid == null ? Optional.empty() : Optional.ofNullable(byAccount.get(key(accountSid)));
    }

    /**
     * The Auth Token that Twilio signs this account's callbacks with ({@code X-Twilio-Signature}): the configured
     * webhook auth token, else the account's Auth Token. None for an account without either, nor for pass-through
     * credentials, which are never stored: such calls get no callbacks.
     */
    public Optional<String> webhookToken(String accountSid) {
        return accountSid == null ? Optional.empty() : Optional.ofNullable(webhookTokens.get(key(accountSid)));
    }

    // SIDs are hex: "ACab…" and "ACAB…" are one account (and environment variables upper-case map keys).
    private static String key(String accountSid) {
        return accountSid.toLowerCase(java.util.Locale.ROOT);
    }

    private static Optional<TwilioCredentials> credentials(String accountSid, Optional<String> authToken,
            Optional<String> apiKey, Optional<String> apiSecret) {
        if (apiKey.isPresent() && apiSecret.isPresent()) {
            return Optional.of(new TwilioCredentials(accountSid, apiKey.get(), apiSecret.get()));
        }
        return authToken.map(token -> new TwilioCredentials(accountSid, accountSid, token));
    }
}
