package dev.voicegate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An account SID as Redis key names carry it: the SHA-256 of the SID in lower case, in hex. Whoever can list the keys
 * (a shared or managed Redis, its backups) learns no SID; the same SID always gives the same name.
 */
public final class SidHash {

    private SidHash() {
    }

    public static String of(String sid) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sid.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
