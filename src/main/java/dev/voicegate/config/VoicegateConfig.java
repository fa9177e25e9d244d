package dev.voicegate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Every Voicegate setting. Secrets only arrive through environment placeholders in
 * {@code application.properties}; nothing here has a secret default.
 */
@ConfigMapping(prefix = "voicegate")
public interface VoicegateConfig {

    Twilio twilio();

    Access access();

    ListCalls listCalls();

    Upstream upstream();

    Idempotency idempotency();

    Sandbox sandbox();

    Media media();

    interface Twilio {
        /** Account SID of the server-side credentials ({@code TWILIO_ACCOUNT_SID}). */
        Optional<String> accountSid();

        /** Auth Token for {@link #accountSid()} ({@code TWILIO_AUTH_TOKEN}). */
        Optional<String> authToken();

        /** API Key SID ({@code SK…}) used instead of the Auth Token ({@code TWILIO_API_KEY}). */
        Optional<String> apiKey();

        /** Secret of {@link #apiKey()} ({@code TWILIO_API_SECRET}). */
        Optional<String> apiSecret();

        /** Further server-side accounts, keyed by account SID. */
        Map<String, Account> accounts();

        /** Timeout of each attempt of a Twilio request, in ms ({@code TWILIO_TIMEOUT_MS}). */
        @WithDefault("10000")
        @Min(1)
        long timeoutMs();

        /** Retries of a Twilio request that may be retried ({@code TWILIO_MAX_RETRIES}). */
        @WithDefault("3")
        @Min(0)
        int maxRetries();

        /** First retry delay in ms, doubled each retry ({@code TWILIO_RETRY_DELAY_MS}). */
        @WithDefault("200")
        @Min(0)
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
    }

    interface Access {
        /** Keys accepted as {@code Authorization: Bearer <key>} ({@code SERVICE_API_KEYS}, comma-separated). */
        Optional<List<String>> serviceApiKeys();
    }

    interface ListCalls {
        /** How many recording lookups of one list_calls request may be in flight at once. */
        @WithDefault("16")
        @Min(1)
        @Max(256)
        int recordingLookupConcurrency();

        /**
         * Find the recordings of a large page (more than twice the lookup concurrency) in the account's recordings
         * list instead of one lookup per call; see {@code RecordingFanOut} for the rule.
         */
        @WithDefault("true")
        boolean recordingJoin();
    }

    interface Upstream {
        /** Requests to Twilio in flight at once for one account, all operations together. */
        @WithDefault("32")
        @Min(1)
        int maxConcurrentPerAccount();

        /** Requests that may wait for a slot per account; beyond that an action fails fast with rate_limited. */
        @WithDefault("256")
        @Min(0)
        int maxQueuedPerAccount();

        /** Longest wait for a slot before failing with rate_limited; shorter than the per-attempt timeout. */
        @WithDefault("PT5S")
        Duration maxQueueWait();
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

        /** Keys kept by the embedded (single-instance) store; the oldest are dropped beyond it. */
        @WithDefault("100000")
        @Min(1)
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
         * download runs to its last byte. (Time to Twilio's headers is the per-attempt fault-tolerance timeout.)
         */
        @WithDefault("PT30S")
        Duration idleTimeout();

        /** Connections for recording downloads, per host. */
        @WithDefault("64")
        @Min(1)
        int maxConnections();
    }
}
