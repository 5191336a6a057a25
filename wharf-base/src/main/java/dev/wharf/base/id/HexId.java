package dev.wharf.base.id;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The engine's 64-hex random IDs, as Docker makes them for containers, networks and exec
 * sessions: 32 random bytes in lower-case hex. {@link ContainerId} wraps one; the other kinds
 * travel as their strings.
 */
public final class HexId {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private HexId() {
    }

    /** A fresh random 64-hex ID. */
    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Whether {@code s} is a full 64-hex ID. */
    public static boolean isFull(String s) {
        return s != null && HEX64.matcher(s).matches();
    }
}
