package dev.voicegate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.voicegate.Sid;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Refuses to start on configuration that cannot work, with one line that names the setting:
 * half-configured credentials, malformed SIDs, numbers out of range, and service keys and policies that cannot work
 * ({@link PolicyCheck}). Better than a pod that
 * starts and then answers every request with an error.
 */
@Singleton
public class ConfigCheck {

    /** A Twilio Region's name: two lower-case letters and a number (us1, ie1, au1, jp1, de1, br1, sg1, ...). */
    static final Pattern REGION = Pattern.compile("[a-z]{2}[0-9]{1,2}");
    /** A Twilio edge location's name: lower-case words, hyphenated (sydney, dublin, tokyo, sao-paulo, ...). */
    static final Pattern EDGE = Pattern.compile("[a-z]{2,20}(-[a-z]{2,20}){0,2}");

    void onStart(@Observes StartupEvent event, VoicegateConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(VoicegateConfig config) {
        List<String> problems = new ArrayList<>();
        VoicegateConfig.Twilio twilio = config.twilio();
        boolean anySecret = twilio.authToken().isPresent() || twilio.apiKey().isPresent() || twilio.apiSecret().isPresent();
        if (anySecret && twilio.accountSid().isEmpty()) {
            problems.add("TWILIO_AUTH_TOKEN, TWILIO_API_KEY or TWILIO_API_SECRET is set without TWILIO_ACCOUNT_SID");
        }
        twilio.accountSid().filter(sid -> !Sid.ACCOUNT.matches(sid))
                .ifPresent(sid -> problems.add("TWILIO_ACCOUNT_SID must be " + Sid.ACCOUNT.shape()));
        checkKeyPair(problems, "TWILIO_API_KEY", "TWILIO_API_SECRET", twilio.apiKey(), twilio.apiSecret());
        if (twilio.accountSid().isPresent() && twilio.authToken().isEmpty() && twilio.apiKey().isEmpty()) {
            problems.add("TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN or TWILIO_API_KEY + TWILIO_API_SECRET");
        }
        for (Map.Entry<String, VoicegateConfig.Account> account : twilio.accounts().entrySet()) {
            String prefix = "voicegate.twilio.accounts." + account.getKey();
            if (!Sid.ACCOUNT.matches(account.getKey())) {
                problems.add(prefix + ": the key must be " + Sid.ACCOUNT.kind() + " (" + Sid.ACCOUNT.shape() + ")");
            }
            VoicegateConfig.Account value = account.getValue();
            checkKeyPair(problems, prefix + ".api-key", prefix + ".api-secret", value.apiKey(), value.apiSecret());
            if (value.authToken().isEmpty() && value.apiKey().isEmpty()) {
                problems.add(prefix + " has neither auth-token nor api-key + api-secret");
            }
        }
        twilio.region().filter(region -> !REGION.matcher(region).matches()).ifPresent(region -> problems.add(
                "TWILIO_REGION must be a Twilio Region, two lower-case letters and a number such as us1, ie1 or au1 (got '"
                        + shortened(region) + "')"));
        twilio.edge().filter(edge -> !EDGE.matcher(edge).matches()).ifPresent(edge -> problems.add(
                "TWILIO_EDGE must be a Twilio edge location, lower-case words joined by '-' such as dublin, sydney or "
                        + "sao-paulo (got '" + shortened(edge) + "')"));
        if (twilio.maxRetryAfter().isNegative()) {
            problems.add("TWILIO_MAX_RETRY_AFTER must not be negative");
        }
        atLeast(problems, "voicegate.twilio.timeout-ms", twilio.timeoutMs(), 1);
        atLeast(problems, "voicegate.twilio.max-retries", twilio.maxRetries(), 0);
        atLeast(problems, "voicegate.twilio.retry-delay-ms", twilio.retryDelayMs(), 0);
        int lookups = config.listCalls().recordingLookupConcurrency();
        atLeast(problems, "voicegate.list-calls.recording-lookup-concurrency", lookups, 1);
        if (lookups > 256) {
            problems.add("voicegate.list-calls.recording-lookup-concurrency must be less than or equal to 256");
        }
        VoicegateConfig.Upstream upstream = config.upstream();
        atLeast(problems, "voicegate.upstream.max-concurrent-per-account", upstream.maxConcurrentPerAccount(), 1);
        atLeast(problems, "voicegate.upstream.max-queued-per-account", upstream.maxQueuedPerAccount(), 0);
        if (upstream.sharedLease().toMillis() < 300) {
            problems.add("TWILIO_SHARED_LEASE must be at least 300ms");
        }
        if (!positive(upstream.sharedTimeout())) {
            problems.add("TWILIO_SHARED_TIMEOUT must be positive");
        }
        upstream.localSharePerAccount().ifPresent(share -> {
            if (share < 1 || share > upstream.maxConcurrentPerAccount()) {
                problems.add("TWILIO_LOCAL_SHARE_PER_ACCOUNT must be from 1 to TWILIO_MAX_CONCURRENT_PER_ACCOUNT ("
                        + upstream.maxConcurrentPerAccount() + ")");
            }
        });
        if (upstream.maxQueueWait().isNegative() || upstream.maxAdmissionWait().isNegative()) {
            problems.add("TWILIO_MAX_QUEUE_WAIT and TWILIO_MAX_ADMISSION_WAIT must not be negative");
        }
        atLeast(problems, "voicegate.idempotency.memory-max-keys", config.idempotency().memoryMaxKeys(), 1);
        atLeast(problems, "voicegate.do-not-call.memory-max-entries", config.doNotCall().memoryMaxEntries(), 1);
        problems.addAll(PolicyCheck.problems(config));
        VoicegateConfig.GetCall getCall = config.getCall();
        if (getCall.firstPoll().toMillis() < 1 || getCall.maxPoll().compareTo(getCall.firstPoll()) < 0) {
            problems.add("GET_CALL_FIRST_POLL must be at least 1ms and GET_CALL_MAX_POLL at least GET_CALL_FIRST_POLL");
        }
        // Zero would mean "no timeout" to the HTTP client: a download whose peer went silent would hang for ever.
        VoicegateConfig.Media media = config.media();
        atLeast(problems, "voicegate.media.max-connections", media.maxConnections(), 1);
        if (!positive(media.headersTimeout()) || !positive(media.connectTimeout()) || !positive(media.idleTimeout())) {
            problems.add("TWILIO_MEDIA_HEADERS_TIMEOUT, TWILIO_MEDIA_CONNECT_TIMEOUT and TWILIO_MEDIA_IDLE_TIMEOUT "
                    + "must be positive");
        }
        VoicegateConfig.Console console = config.console();
        if (console.sessionSecret().filter(secret -> secret.length() < 32).isPresent()) {
            problems.add("CONSOLE_SESSION_SECRET must be at least 32 characters");
        }
        if (console.sessionTtl().toSeconds() < 60) {
            problems.add("CONSOLE_SESSION_TTL must be at least 1 minute");
        }
        atLeast(problems, "voicegate.console.max-streams", console.maxStreams(), 1);
        if (!positive(config.redis().checkInterval()) || !positive(config.redis().checkTimeout())) {
            problems.add("REDIS_CHECK_INTERVAL and REDIS_CHECK_TIMEOUT must be positive");
        }
        return problems.stream().distinct().toList();
    }

    /** A setting's value as a message may quote it: at most 40 characters. */
    private static String shortened(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    private static void atLeast(List<String> problems, String name, long value, long min) {
        if (value < min) {
            problems.add(name + " must be greater than or equal to " + min);
        }
    }

    private static void checkKeyPair(List<String> problems, String keyName, String secretName, Optional<String> key,
            Optional<String> secret) {
        if (key.isPresent() != secret.isPresent()) {
            problems.add(keyName + " and " + secretName + " must be set together");
        }
        key.filter(sid -> !Sid.API_KEY.matches(sid))
                .ifPresent(sid -> problems.add(keyName + " must be " + Sid.API_KEY.describe()));
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
