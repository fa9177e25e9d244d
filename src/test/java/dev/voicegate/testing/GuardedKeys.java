package dev.voicegate.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Named service keys with a policy each, and a second server-side account, for the guardrail tests. Secrets are
 * distinctive strings, so a test can assert that neither they nor their hashes leak; each quota has a key of its
 * own, so tests that share a running service do not share counters.
 */
public class GuardedKeys implements QuarkusTestResourceLifecycleManager {

    /** A second account with server-side credentials, for the {@code accounts} rule. */
    public static final String SECOND_ACCOUNT_SID = "AC22222222333333334444444455555555";
    public static final String SECOND_AUTH_TOKEN = "secondtok-81d2c7e04b9a53f6-TEST";
    /** The caller ID the {@code outbound} key may use. */
    public static final String OUTBOUND_FROM = "+15017122661";

    /** Each key: its name, its secret and its own settings. */
    public static final Map<String, Map<String, String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("reporting", Map.of("actions", "list_calls,get_recording"));
        KEYS.put("outbound", Map.of("destinations", "+1", "from", OUTBOUND_FROM, "max-calls-per-hour", "30"));
        KEYS.put("second", Map.of("accounts", SECOND_ACCOUNT_SID));
        KEYS.put("uk", Map.of("destinations", "GB"));
        KEYS.put("satellite", Map.of("destinations", "+1,+881"));
        KEYS.put("minute", Map.of("max-calls-per-minute", "2"));
        KEYS.put("daily", Map.of("max-calls-per-day", "1"));
        KEYS.put("retry", Map.of("max-calls-per-minute", "1"));
        KEYS.put("chatty", Map.of("max-requests-per-minute", "3"));
        KEYS.put("shared", Map.of("max-calls-per-minute", "10"));
        KEYS.put("audited", Map.of("max-calls-per-day", "1"));
        KEYS.put("hours", Map.of("calling-hours", "08:00-21:00"));
        // Operators: no actions (the role's default), one action listed explicitly, one account only.
        KEYS.put("operator", Map.of("role", "operator"));
        KEYS.put("operator-lister", Map.of("role", "Operator", "actions", "list_calls"));
        KEYS.put("operator-second", Map.of("role", "operator", "accounts", SECOND_ACCOUNT_SID));
        // end_call: a key that may end any call, and an operator that may run end_call.
        KEYS.put("ender", Map.of("end-any-call", "true"));
        KEYS.put("operator-ender", Map.of("role", "operator", "actions", "end_call"));
        // The kill switch: agents suspended by the tests (each its own, so that no other test sees them suspended).
        KEYS.put("suspendable", Map.of());
        KEYS.put("runaway", Map.of());
        KEYS.put("operator-suspendable", Map.of("role", "operator"));
        KEYS.put("console-switch", Map.of("max-calls-per-hour", "30"));
        // Approval before dialing: every call, or only numbers the key has not called before.
        KEYS.put("approval-always", Map.of("approval", "always"));
        KEYS.put("approval-new", Map.of("approval", "new-numbers"));
        // add_do_not_call: an agent opted in, and an operator that lists it among its actions.
        KEYS.put("listener", Map.of("add-do-not-call", "true"));
        KEYS.put("operator-listing", Map.of("role", "operator", "actions", "add_do_not_call"));
    }

    @Override
    public Map<String, String> start() {
        return config();
    }

    @Override
    public void stop() {
    }

    /** The keys' settings and the second account, as properties. */
    public static Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("voicegate.twilio.accounts." + SECOND_ACCOUNT_SID + ".auth-token", SECOND_AUTH_TOKEN);
        KEYS.forEach((name, settings) -> {
            config.put("voicegate.access.keys." + name + ".secret-sha256", sha256(secret(name)));
            settings.forEach((setting, value) -> config.put("voicegate.access.keys." + name + "." + setting, value));
        });
        return config;
    }

    /** The bearer key of a named key, e.g. {@code key-outbound-5c1e9a7d-TEST}. */
    public static String secret(String name) {
        return "key-" + name + "-5c1e9a7d-TEST";
    }

    /** {@code Authorization: Bearer <secret of name>}. */
    public static String bearer(String name) {
        return TestAccounts.bearer(secret(name));
    }

    /** Every secret and hash of these keys, for leak checks. */
    public static List<String> secretsAndHashes() {
        return KEYS.keySet().stream().flatMap(name -> List.of(secret(name), sha256(secret(name))).stream())
                .toList();
    }

    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
