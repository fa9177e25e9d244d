package dev.voicegate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Refuses to start on configuration that cannot work, with one line that names the setting:
 * half-configured credentials and malformed SIDs (numbers are checked by the mapping's constraints). Better than a pod that
 * starts and then answers every request with an error.
 */
@Singleton
public class ConfigCheck {

    private static final Pattern ACCOUNT_SID = Pattern.compile("^AC[0-9a-fA-F]{32}$");
    private static final Pattern API_KEY_SID = Pattern.compile("^SK[0-9a-fA-F]{32}$");

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
        twilio.accountSid().filter(sid -> !ACCOUNT_SID.matcher(sid).matches())
                .ifPresent(sid -> problems.add("TWILIO_ACCOUNT_SID must be 'AC' followed by 32 hex digits"));
        checkKeyPair(problems, "TWILIO_API_KEY", "TWILIO_API_SECRET", twilio.apiKey(), twilio.apiSecret());
        if (twilio.accountSid().isPresent() && twilio.authToken().isEmpty() && twilio.apiKey().isEmpty()) {
            problems.add("TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN or TWILIO_API_KEY + TWILIO_API_SECRET");
        }
        for (Map.Entry<String, VoicegateConfig.Account> account : twilio.accounts().entrySet()) {
            String prefix = "voicegate.twilio.accounts." + account.getKey();
            if (!ACCOUNT_SID.matcher(account.getKey()).matches()) {
                problems.add(prefix + ": the key must be an Account SID ('AC' followed by 32 hex digits)");
            }
            VoicegateConfig.Account value = account.getValue();
            checkKeyPair(problems, prefix + ".api-key", prefix + ".api-secret", value.apiKey(), value.apiSecret());
            if (value.authToken().isEmpty() && value.apiKey().isEmpty()) {
                problems.add(prefix + " has neither auth-token nor api-key + api-secret");
            }
        }
        if (twilio.maxRetryAfter().isNegative()) {
            problems.add("TWILIO_MAX_RETRY_AFTER must not be negative");
        }
        // Zero would mean "no timeout" to the HTTP client: a download whose peer went silent would hang for ever.
        VoicegateConfig.Media media = config.media();
        if (!positive(media.headersTimeout()) || !positive(media.connectTimeout()) || !positive(media.idleTimeout())) {
            problems.add("TWILIO_MEDIA_HEADERS_TIMEOUT, TWILIO_MEDIA_CONNECT_TIMEOUT and TWILIO_MEDIA_IDLE_TIMEOUT "
                    + "must be positive");
        }
        return problems.stream().distinct().toList();
    }

    private static void checkKeyPair(List<String> problems, String keyName, String secretName, Optional<String> key,
            Optional<String> secret) {
        if (key.isPresent() != secret.isPresent()) {
            problems.add(keyName + " and " + secretName + " must be set together");
        }
        key.filter(sid -> !API_KEY_SID.matcher(sid).matches())
                .ifPresent(sid -> problems.add(keyName + " must be an API Key SID: 'SK' followed by 32 hex digits"));
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
