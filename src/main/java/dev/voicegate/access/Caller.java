package dev.voicegate.access;

import dev.voicegate.Sid;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.twilio.TwilioCredentials;

/** An authenticated caller: its name, its policy and role, and the Twilio credentials it may use for an account. */
public sealed interface Caller {

    /** Credentials for this account, or {@code forbidden} without any upstream request. */
    TwilioCredentials credentialsFor(String accountSid);

    /** The name in logs, metrics and the audit trail: a key's configured name, never its secret or hash. */
    String name();

    Policy policy();

    /** {@code agent} or {@code operator}: a named key's setting; unnamed keys and pass-through are agents. */
    default Role role() {
        return policy().role();
    }

    /** Whether this caller is an operator: it may read the call ledger (and, later, use the controls). */
    default boolean operator() {
        return role() == Role.OPERATOR;
    }

    /** Whether this caller may run the action at all (MCP's tools/list shows only those). */
    default boolean allows(String action) {
        return policy().allows(action);
    }

    /** Holder of a service API key: uses the server-side credentials of the account. */
    record ServiceKeyHolder(String name, Policy policy, TwilioAccounts accounts) implements Caller {
        @Override
        public TwilioCredentials credentialsFor(String accountSid) {
            return accounts.forAccount(accountSid).orElseThrow(() -> new ActionException(new ActionFailure(
                    ErrorCategory.FORBIDDEN, "Voicegate has no Twilio credentials for account " + accountSid
                            + "; send your own as Basic auth, or ask the operator to configure them. Retrying will not help.")));
        }
    }

    /**
     * Brought its own Twilio credentials (Basic auth): used for this request only, never stored. The default
     * policy still applies: the service refuses obvious toll fraud whoever pays for it.
     */
    record PassThrough(String username, String secret, Policy policy) implements Caller {

        public static final String NAME = "pass-through";

        @Override
        public TwilioCredentials credentialsFor(String accountSid) {
            if (Sid.ACCOUNT.matches(username) && !username.equalsIgnoreCase(accountSid)) {
                throw new ActionException(new ActionFailure(ErrorCategory.FORBIDDEN, "the Basic-auth credentials "
                        + "belong to another account than 'account_sid' " + accountSid + ". Retrying will not help."));
            }
            return new TwilioCredentials(accountSid, username, secret);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String toString() {
            return "PassThrough[username=" + username + ", secret=***]";
        }
    }
}
