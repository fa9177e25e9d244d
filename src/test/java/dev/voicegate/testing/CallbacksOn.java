package dev.voicegate.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Twilio's status callbacks on: a fixed public URL (the signatures only need to match what a test computes, so it
 * need not reach anything), relays allowed to loopback (a WireMock stands in for the caller's endpoint), short relay
 * retries, a short safety poll, a small body limit, and an account that uses an API key with a separate webhook auth token.
 */
public class CallbacksOn implements QuarkusTestResourceLifecycleManager {

    public static final String PUBLIC_URL = "https://voicegate.example.test";
    public static final int MAX_BODY_BYTES = 4096;
    /** get_call's safety poll while following a call on its callbacks: short enough for a test. */
    public static final String SAFETY_POLL_SECONDS = "3";
    /** An account whose REST requests use an API key, and whose callbacks are signed with its webhook token. */
    public static final String KEYED_ACCOUNT_SID = "AC33333333444444445555555566666666";
    public static final String KEYED_WEBHOOK_TOKEN = "webhooktok-2b7d1e9f40c6a835-TEST";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "voicegate.callbacks.public-url", PUBLIC_URL,
                "voicegate.callbacks.relay-allow", "127.0.0.1",
                "voicegate.callbacks.safety-poll", SAFETY_POLL_SECONDS + "s",
                "voicegate.callbacks.relay-retry-for", "5s",
                "voicegate.callbacks.relay-timeout", "2s",
                "voicegate.callbacks.max-body-bytes", Integer.toString(MAX_BODY_BYTES),
                "voicegate.twilio.accounts." + KEYED_ACCOUNT_SID + ".api-key", "SK33333333444444445555555566666666",
                "voicegate.twilio.accounts." + KEYED_ACCOUNT_SID + ".api-secret", "keyedsecret-91c4e2a7d05b3f68-TEST",
                "voicegate.twilio.accounts." + KEYED_ACCOUNT_SID + ".webhook-auth-token", KEYED_WEBHOOK_TOKEN);
    }

    @Override
    public void stop() {
    }
}
