package dev.voicegate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.voicegate.Sid;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Refuses to start on configuration that cannot work, with one line that names the setting:
 * half-configured credentials, malformed SIDs, and service keys and policies that cannot work ({@link PolicyCheck};
 * numbers are checked by the mapping's constraints). Better than a pod that
 * starts and then answers every request with an error.
 */
@Singleton
public class ConfigCheck {

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
        if (twilio.maxRetryAfter().isNegative()) {
            problems.add("TWILIO_MAX_RETRY_AFTER must not be negative");
        }
        problems.addAll(PolicyCheck.problems(config));
        VoicegateConfig.GetCall getCall = config.getCall();
        if (getCall.firstPoll().toMillis() < 1 || getCall.maxPoll().compareTo(getCall.firstPoll()) < 0) {
            problems.add("GET_CALL_FIRST_POLL must be at least 1ms and GET_CALL_MAX_POLL at least GET_CALL_FIRST_POLL");
        }
        return problems.stream().distinct().toList();
    }

    private static void checkKeyPair(List<String> problems, String keyName, String secretName, Optional<String> key,
            Optional<String> secret) {
        if (key.isPresent() != secret.isPresent()) {
            problems.add(keyName + " and " + secretName + " must be set together");
        }
        key.filter(sid -> !Sid.API_KEY.matches(sid))
                .ifPresent(sid -> problems.add(keyName + " must be " + Sid.API_KEY.describe()));
    }
}
