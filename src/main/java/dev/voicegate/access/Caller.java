package dev.voicegate.access;

import dev.voicegate.Sid;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioAccounts;
import dev.voicegate.twilio.TwilioCredentials;

/** An authenticated caller, and the Twilio credentials it may use for an account. */
public sealed interface Caller {

    /** Credentials for this account, or {@code forbidden} without any upstream request. */
    TwilioCredentials credentialsFor(String accountSid);

    /** Holder of a service API key: uses the server-side credentials of the account. */
    record ServiceKeyHolder(TwilioAccounts accounts) implements Caller {
        @Override
        public TwilioCredentials credentialsFor(String accountSid) {
            return accounts.forAccount(accountSid).orElseThrow(() -> new ActionException(new ActionFailure(
                    ErrorCategory.FORBIDDEN, "Voicegate has no Twilio credentials for account " + accountSid
                            + "; send your own as Basic auth, or ask the operator to configure them. Retrying will not help.")));
        }
    }

    /** Brought its own Twilio credentials (Basic auth): used for this request only, never stored. */
    record PassThrough(String username, String secret) implements Caller {
        @Override
        public TwilioCredentials credentialsFor(String accountSid) {
            if (Sid.ACCOUNT.matches(username) && !username.equalsIgnoreCase(accountSid)) {
                throw new ActionException(new ActionFailure(ErrorCategory.FORBIDDEN, "the Basic-auth credentials "
                        + "belong to another account than 'account_sid' " + accountSid + ". Retrying will not help."));
            }
            return new TwilioCredentials(accountSid, username, secret);
        }

        @Override
        public String toString() {
            return "PassThrough[username=" + username + ", secret=***]";
        }
    }
}
