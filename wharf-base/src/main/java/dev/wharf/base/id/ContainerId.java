package dev.wharf.base.id;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A container's 64-hex ID. */
public record ContainerId(String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public ContainerId {
        if (value == null || !value.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("invalid container id: " + value);
        }
    }

    public static ContainerId random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new ContainerId(HexFormat.of().formatHex(b));
    }

    public String shortId() {
        return value.substring(0, 12);
    }

    @Override
    public String toString() {
        return value;
    }
}
