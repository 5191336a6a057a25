package dev.wharf.base.id;

import dev.wharf.base.error.InvalidArgumentException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A content digest, {@code sha256:<64 hex>}. */
public record Digest(String hex) {

    public Digest {
        if (!HexId.isFull(hex)) {
            throw new InvalidArgumentException("invalid digest: " + hex);
        }
    }

    public static Digest parse(String s) {
        if (s == null || !s.startsWith("sha256:")) {
            throw new InvalidArgumentException("invalid digest: " + s);
        }
        return new Digest(s.substring(7));
    }

    public static Digest of(byte[] data) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(data)));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
