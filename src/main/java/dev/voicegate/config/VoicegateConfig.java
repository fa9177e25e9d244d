package dev.voicegate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every Voicegate setting. Secrets only arrive through environment placeholders in
 * {@code application.properties}; nothing here has a secret default. {@link ConfigCheck} checks the numbers' ranges
 * (noted on each below) and the credentials at start-up: Bean Validation constraints here would bootstrap Hibernate
 * Validator before anything else starts: about a third of the main thread's start-up work.
 */
@ConfigMapping(prefix = "voicegate")
public interface VoicegateConfig {

    Twilio twilio();

    Access access();

    Policy policy();

    ListCalls listCalls();

    GetCall getCall();

    Upstream upstream();

    Idempotency idempotency();

    Sandbox sandbox();

    Media media();

    Ledger ledger();

    Callbacks callbacks();

    Approval approval();

    DoNotCall doNotCall();

    Console console();

    Redis redis();

    /**
     * Twilio credentials, and the fault tolerance that {@code twilio.TwilioGuards} gives every Twilio operation
     * ({@link #timeoutMs()}, {@link #maxRetries()}, {@link #retryDelayMs()}).
     */
    interface Twilio {
        /** Account SID of the server-side credentials ({@code TWILIO_ACCOUNT_SID}). */
        Optional<String> accountSid();

        /** Auth Token for {@link #accountSid()} ({@code TWILIO_AUTH_TOKEN}). */
        Optional<String> authToken();

        /** API Key SID ({@code SK…}) used instead of the Auth Token ({@code TWILIO_API_KEY}). */
        Optional<String> apiKey();

        /** Secret of {@link #apiKey()} ({@code TWILIO_API_SECRET}). */
        Optional<String> apiSecret();

        /**
         * Auth Token that Twilio signs this account's callbacks with, when requests use an API key
         * ({@code TWILIO_WEBHOOK_AUTH_TOKEN}; default: {@link #authToken()}).
         */
        Optional<String> webhookAuthToken();

        /**
         * Twilio Region of the API ({@code TWILIO_REGION}, e.g. {@code ie1}): {@code api.{edge}.{region}.twilio.com}
         * with {@link #edge()}, as the official SDKs ({@code twilio.TwilioApiUrl}); {@code TWILIO_BASE_URL} wins.
         */
        Optional<String> region();

        /** Twilio edge location ({@code TWILIO_EDGE}, e.g. {@code dublin}); region {@code us1} when only this is set. */
        Optional<String> edge();

        /** Further server-side accounts, keyed by account SID. */
        Map<String, Account> accounts();

        /** Timeout of each attempt of every Twilio request, in ms ({@code TWILIO_TIMEOUT_MS}); at least 1. */
        @WithDefault("10000")
        long timeoutMs();

        /** Retries of every Twilio request that may be retried ({@code TWILIO_MAX_RETRIES}); at least 0. */
        @WithDefault("3")
        int maxRetries();

        /** First retry delay in ms, doubled each retry ({@code TWILIO_RETRY_DELAY_MS}); at least 0. */
        @WithDefault("200")
        long retryDelayMs();

        /** Longest {@code Retry-After} from Twilio that a retry waits for; longer ones end the retries. */
        @WithDefault("5s")
        Duration maxRetryAfter();
    }

    interface Account {
        /** Auth Token of this account. */
        Optional<String> authToken();

        /** API Key SID used instead of the Auth Token. */
        Optional<String> apiKey();

        /** Secret of the API Key. */
        Optional<String> apiSecret();

        /** Auth Token that Twilio signs this account's callbacks with, when it uses an API key; default: the Auth Token. */
        Optional<String> webhookAuthToken();
    }

    interface Access {
        /**
         * Unnamed keys accepted as {@code Authorization: Bearer <key>} ({@code SERVICE_API_KEYS}, comma-separated):
         * full access under the default {@link Policy}.
         */
        Optional<List<String>> serviceApiKeys();

        /** Named service keys with their own policy, by name ({@code voicegate.access.keys.<name>.*}). */
        Map<String, Key> keys();
    }

    /** A named service key. Unset settings fall back to the default {@link Policy} or to no limit. */
    interface Key {
        /** SHA-256 of the bearer key, 64 hex digits: the key itself is never configured. */
        Optional<String> secretSha256();

        /** {@code agent} (default): uses actions; {@code operator}: reads the ledger and uses the controls. */
        @WithDefault("agent")
        String role();

        /** Account SIDs it may use; default: every account with server-side credentials. */
        Optional<List<String>> accounts();

        /** Actions it may run; default: all. */
        Optional<List<String>> actions();

        /** E.164 prefixes ({@code +1}) or ISO 3166 country codes ({@code GB}) it may call; default: the policy's. */
        Optional<List<String>> destinations();

        /** The {@code from_} numbers it may use; default: any. */
        Optional<List<String>> from();

        /** make_calls placed in any 60 s; default: no limit. */
        OptionalInt maxCallsPerMinute();

        /** make_calls placed in any hour; default: no limit. */
        OptionalInt maxCallsPerHour();

        /** make_calls placed in any 24 h; default: no limit. */
        OptionalInt maxCallsPerDay();

        /** Requests of every action together in any 60 s; default: no limit. */
        OptionalInt maxRequestsPerMinute();

        /** end_call may end any call, not only the ones this key placed (the ledger says who placed which). */
        @WithDefault("false")
        boolean endAnyCall();

        /**
         * add_do_not_call may put numbers on the do-not-call list ("please don't call me again"); an agent key needs
         * this, an operator key needs add_do_not_call in its {@code actions} instead. Unnamed keys never may.
         */
        @WithDefault("false")
        boolean addDoNotCall();

        /**
         * Whether a make_call waits for an operator's approval: {@code never} (default), {@code new-numbers} (a
         * {@code to} this key has not called successfully before, by the ledger) or {@code always}.
         */
        @WithDefault("never")
        String approval();

        /** {@code HH:mm-HH:mm}: when make_call may call, in the called party's local time; default: the policy's. */
        Optional<String> callingHours();
    }

    /** The default policy: unnamed keys, pass-through credentials and whatever a named key does not set. */
    interface Policy {
        /** E.164 prefixes or ISO 3166 country codes that make_call may call; default: any. */
        Optional<List<String>> destinations();

        /** libphonenumber number types make_call refuses, for every caller ({@code NONE}: none). */
        @WithDefault("PREMIUM_RATE,SHARED_COST")
        List<String> blockedNumberTypes();

        /**
         * International revenue-share and satellite ranges make_call refuses ({@code NONE}: none), unless the
         * caller's destinations name the range or a narrower prefix of it.
         */
        @WithDefault("+870,+881,+882,+883,+979")
        List<String> blockedPrefixes();

        /**
         * {@code HH:mm-HH:mm} (e.g. {@code 08:00-21:00}): when make_call may call, in the called party's local time in
         * every time zone of the number's prefix; default: any time.
         */
        Optional<String> callingHours();
    }

    /** The do-not-call list: in Redis when {@code REDIS_URL} is set, otherwise in memory. */
    interface DoNotCall {
        /** Numbers the in-memory list holds at most (at least 1); adding more is refused. */
        @WithDefault("100000")
        int memoryMaxEntries();

        /**
         * Refuse every make_call ({@code upstream_unavailable}) while the list cannot be read (Redis down). {@code false}
         * places calls unchecked then, with a warning: availability over the list.
         */
        @WithDefault("true")
        boolean failClosed();
    }

    interface ListCalls {
        /** How many recording lookups of one list_calls request may be in flight at once; 1 to 256. */
        @WithDefault("16")
        int recordingLookupConcurrency();

        /**
         * Find the recordings of a large page (more than twice the lookup concurrency) in the account's recordings
         * list instead of one lookup per call; see {@code RecordingFanOut} for the rule.
         */
        @WithDefault("true")
        boolean recordingJoin();
    }

    interface GetCall {
        /** While get_call waits for a call to end: the pause before the second fetch, doubled after each fetch. */
        @WithDefault("PT1S")
        Duration firstPoll();

        /** The longest pause between two fetches of one waiting get_call. */
        @WithDefault("PT5S")
        Duration maxPoll();
    }

    interface Upstream {
        /** Requests to Twilio in flight at once for one account, all operations together; at least 1. */
        @WithDefault("32")
        int maxConcurrentPerAccount();

        /**
         * First requests of new actions that may wait for a slot per account (at least 0); beyond that a new action
         * is refused at once with rate_limited. Follow-ups of admitted actions are not counted: they are never refused.
         */
        @WithDefault("256")
        int maxQueuedPerAccount();

        /** Longest wait of a new action's first request for a slot before rate_limited; shorter than the attempt timeout. */
        @WithDefault("PT5S")
        Duration maxQueueWait();

        /** With Redis ({@code REDIS_URL}), every replica draws on one budget per account ({@code twilio.SharedBudget}). */
        @WithDefault("true")
        boolean sharedBudget();

        /**
         * How long a slot of the shared budget stays taken without renewal: a crashed replica's slots come back
         * after it. Renewed every third of it while held; at least 300 ms.
         */
        @WithDefault("PT15S")
        Duration sharedLease();

        /** Longest wait for one Redis command of the shared budget before falling back to the local share; positive. */
        @WithDefault("PT0.5S")
        Duration sharedTimeout();

        /**
         * Slots per account this replica may hold while Redis is unreachable; default the bound divided by 4, at
         * least 1. From 1 to {@link #maxConcurrentPerAccount()}.
         */
        OptionalInt localSharePerAccount();

        /**
         * A new action whose first request would wait longer than this for a slot (estimated from the work already
         * waiting, see {@code twilio.Door}) is refused at once with rate_limited; at least 0.
         */
        @WithDefault("PT0.5S")
        Duration maxAdmissionWait();
    }

    interface Idempotency {
        /** How long a make_call idempotency key and its outcome are kept. */
        @WithDefault("PT24H")
        Duration ttl();

        /** How long a request waits for another one with the same key that is still in flight. */
        @WithDefault("PT20S")
        Duration inFlightWait();

        /** After this long an in-flight claim whose holder vanished (crash) is treated as an unknown outcome. */
        @WithDefault("PT60S")
        Duration inFlightLease();

        /** After an unknown outcome, how long Twilio is given to show the call before it is placed again. */
        @WithDefault("PT15S")
        Duration reconcileGrace();

        /** Keys kept by the embedded (single-instance) store (at least 1); the oldest are dropped beyond it. */
        @WithDefault("100000")
        int memoryMaxKeys();
    }

    interface Sandbox {
        /** Serve the embedded Twilio sandbox under {@code /sandbox} (dev mode and the sandbox profile only). */
        @WithDefault("false")
        boolean enabled();

        /** The account SID the sandbox accepts. */
        @WithDefault("AC0123456789abcdef0123456789abcdef")
        String accountSid();

        /** The Auth Token the sandbox accepts: not a secret, it guards nothing real. */
        @WithDefault("sandbox-auth-token")
        String authToken();

        /** Connect and idle timeout of one status or recording callback the sandbox sends (to loopback only). */
        @WithDefault("PT5S")
        Duration callbackTimeout();
    }

    interface Media {
        /**
         * Per attempt, the longest wait for the headers of a recording's audio: a slot, the redirects and Twilio's
         * answer together. Retried like a read when it runs out.
         */
        @WithDefault("PT10S")
        Duration headersTimeout();

        /** TCP connect timeout of a recording download, to Twilio and to the storage it redirects to. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /**
         * A download connection that carries nothing for this long is closed. There is no total timeout: a long
         * download runs to its last byte. (The time to Twilio's headers is bounded per attempt by headers-timeout.)
         */
        @WithDefault("PT30S")
        Duration idleTimeout();

        /** Connections for recording downloads, per host on each event loop (LoopClients); at least 1 (ConfigCheck). */
        @WithDefault("64")
        int maxConnections();
    }

    interface Ledger {
        /** Entries kept in memory without Redis (at least 1); the oldest go first. */
        @WithDefault("10000")
        int maxEntries();

        /** How long an entry is kept (in Redis by expiry); at least 1 minute. */
        @WithDefault("P30D")
        Duration retention();

        /**
         * With Redis: ledger writes kept in memory, in order, while Redis does not answer, and written when it is back;
         * beyond this many, later writes are dropped (counted in readiness).
         */
        @WithDefault("10000")
        int pendingMax();

        /**
         * The operators' control events (suspend, resume, end-all, approval decisions, do-not-call changes) the ledger
         * keeps, in memory or in Redis (at least 1); the oldest go first, and none outlives the retention.
         */
        @WithDefault("10000")
        int maxControlEvents();
    }

    /**
     * Twilio's status callbacks. They are on when {@link #publicUrl()} is set: make_call then asks Twilio for
     * call-progress events at {@code <public-url>/twilio/callbacks/status}.
     */
    interface Callbacks {
        /** The absolute URL at which Twilio reaches this service ({@code PUBLIC_URL}); unset: no callbacks. */
        Optional<String> publicUrl();

        /** While following a call on its callbacks, get_call still fetches it this often, as a safety net. */
        @WithDefault("PT15S")
        Duration safetyPoll();

        /** Largest callback body accepted, in bytes. */
        @WithDefault("16384")
        int maxBodyBytes();

        /** Host names and CIDR ranges that relay targets may resolve to despite the address guard ({@code VOICEGATE_RELAY_ALLOW}). */
        Optional<List<String>> relayAllow();

        /** How long a relayed callback is retried (connection errors and 5xx, with back-off) before it is given up. */
        @WithDefault("PT2M")
        Duration relayRetryFor();

        /** Timeout of one relay attempt. */
        @WithDefault("PT10S")
        Duration relayTimeout();
    }

    /** Approval before dialing ({@code voicegate.access.keys.<name>.approval}). */
    interface Approval {
        /** How long an approval, pending or decided, is kept ({@code VOICEGATE_APPROVAL_TTL}); at least 1 s. */
        @WithDefault("PT1H")
        Duration ttl();

        /** How long an MCP elicitation waits for the human's answer ({@code VOICEGATE_APPROVAL_TIMEOUT}); at least 1 s. */
        @WithDefault("PT120S")
        Duration timeout();

        /** Approvals kept in memory without Redis (at least 1); the oldest go first. */
        @WithDefault("10000")
        int memoryMaxEntries();
    }

    /** The operator console at {@code /console} (docs/console.md). */
    interface Console {
        /** {@code CONSOLE_ENABLED}: false answers 404 under {@code /console}. */
        @WithDefault("true")
        boolean enabled();

        /**
         * {@code CONSOLE_SESSION_SECRET}, at least 32 characters: signs the session cookies. Unset, each start draws
         * one, so sessions end with a restart and a replica does not accept another's: with several replicas, set it.
         */
        Optional<String> sessionSecret();

        /** How long a session lasts from sign-in ({@code CONSOLE_SESSION_TTL}). */
        @WithDefault("PT8H")
        Duration sessionTtl();

        /** Live-update streams open at once on this replica ({@code CONSOLE_MAX_STREAMS}); more are refused. */
        @WithDefault("64")
        int maxStreams();

        /** A quiet live-update stream sends a comment this often, so that proxies do not cut it as idle. */
        @WithDefault("PT25S")
        Duration keepAlive();

        /** The audit page's decisions: the latest audit lines kept on this replica ({@code CONSOLE_RECENT_AUDIT}). */
        @WithDefault("1000")
        int recentAudit();
    }

    /** Watching the Redis of {@code REDIS_URL} ({@code observability.RedisHealth}): a PING this often, this long at most. */
    interface Redis {
        /** How often Redis is asked whether it answers ({@code REDIS_CHECK_INTERVAL}); positive. */
        @WithDefault("PT2S")
        Duration checkInterval();

        /** A PING not answered within this counts as Redis being unreachable ({@code REDIS_CHECK_TIMEOUT}); positive. */
        @WithDefault("PT1S")
        Duration checkTimeout();
    }
}
