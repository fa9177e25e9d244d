package dev.voicegate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials used across the test suite. Secrets are distinctive strings so a test can
 * assert they never leak into a response body or a log line.
 */
public final class TestAccounts {

    /** The Twilio account configured in the service ({@code voicegate.twilio.account-sid}). */
    public static final String ACCOUNT_SID = "ACaaaaaaaabbbbbbbbccccccccdddddddd";
    /** Auth token of {@link #ACCOUNT_SID} ({@code voicegate.twilio.auth-token}). */
    public static final String AUTH_TOKEN = "authtok-7f3e9c21d4b6a805-TEST";

    /** A service API key accepted by the service ({@code voicegate.access.service-api-keys}). */
    public static final String SERVICE_KEY = "svckey-5b8e2f90c7a1d364-TEST";

    /** A well-formed account SID for which the service has no credentials. */
    public static final String OTHER_ACCOUNT_SID = "ACeeeeeeeeffffffff0000000011111111";

    /** An account whose credentials the caller supplies itself (pass-through Basic auth). */
    public static final String PASS_THROUGH_ACCOUNT_SID = "AC12345678123456781234567812345678";
    /** Auth token of {@link #PASS_THROUGH_ACCOUNT_SID}; never configured in the service. */
    public static final String PASS_THROUGH_AUTH_TOKEN = "passtok-3c9a71e0f5b2d846-TEST";

    /** A Twilio API key SID (username of the API-key credential shape). */
    public static final String API_KEY_SID = "SKabcdef0123456789abcdef0123456789";
    /** Secret of {@link #API_KEY_SID}. */
    public static final String API_KEY_SECRET = "keysecret-e4a7c1f9b2d05836-TEST";

    private TestAccounts() {
    }

    /** {@code Authorization} header value for HTTP Basic: {@code Basic base64(user:secret)}. */
    public static String basic(String user, String secret) {
        String pair = user + ":" + secret;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Authorization} header value for a bearer key: {@code Bearer <key>}. */
    public static String bearer(String key) {
        return "Bearer " + key;
    }
}
