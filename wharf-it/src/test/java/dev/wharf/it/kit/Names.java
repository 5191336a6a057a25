package dev.wharf.it.kit;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Unique container and image names, so a failed test never collides with the next one. */
public final class Names {

    private Names() {
    }

    public static String unique(String prefix) {
        return "it-" + prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    }
}
