package dev.voicegate.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The fingerprint of a request record: its components but the key, as {@code snake_name=value} lines. */
class FingerprintTest {

    record Request(String accountSid, Integer timeout, Boolean record, String idempotencyKey) {
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyComponentButTheKeyInDeclarationOrder() throws Exception {
        assertEquals(sha256("account_sid=AC1\ntimeout=30\nrecord=null"),
                Fingerprint.of(new Request("AC1", 30, null, "key-1"), "idempotencyKey"));
        assertEquals(Fingerprint.of(new Request("AC1", 30, null, "key-1"), "idempotencyKey"),
                Fingerprint.of(new Request("AC1", 30, null, "key-2"), "idempotencyKey"));
    }

    @Test
    void aKeyComponentThatDoesNotExistIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.of(new Request("AC1", 30, null, "k"), "key"));
    }
}
