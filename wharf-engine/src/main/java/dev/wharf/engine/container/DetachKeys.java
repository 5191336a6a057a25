package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The key sequence that detaches a client from a container's TTY without stopping it, as moby's
 * {@code term.ToBytes} reads it: comma-separated keys, each a single character, {@code DEL} or
 * {@code ctrl-X} (X one of a-z, @, [, \, ], ^, _). Docker's default is {@code ctrl-p,ctrl-q}.
 */
public final class DetachKeys {

    static final byte[] DEFAULT = {0x10, 0x11};
    /** ctrl-@ is 0, ctrl-a 1 ... ctrl-z 26, then ctrl-[, backslash, ], ^ and _ 27..31. */
    private static final String CTRL = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    private DetachKeys() {
    }

    /**
     * The bytes of {@code spec}; null or empty gives the default. As {@code term.ToBytes}: keys are
     * case-sensitive, {@code DEL} is 127, anything else of more than one character is a 400.
     */
    public static byte[] parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            return DEFAULT.clone();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String k : spec.split(",", -1)) {
            if (k.length() == 1) {
                out.write(k.charAt(0));
            } else if (k.length() == 6 && k.startsWith("ctrl-") && CTRL.indexOf(k.charAt(5)) >= 0) {
                out.write(CTRL.indexOf(k.charAt(5)));
            } else if (k.equals("DEL")) {
                out.write(127);
            } else {
                throw new InvalidArgumentException("Invalid detach keys (" + spec + ") provided");
            }
        }
        return out.toByteArray();
    }

    /**
     * Watches a stdin stream for the sequence. {@link #filter} returns what to pass on to the
     * container: bytes that could still begin the sequence are held back until the next chunk
     * tells, and released if it does not continue it; the sequence itself is never passed on.
     * Unlike moby's escape proxy, a sequence split over or buried in larger reads is found too.
     */
    public static final class Matcher {
        private final byte[] keys;
        private int matched;
        private boolean detached;

        public Matcher(byte[] keys) {
            this.keys = keys.clone();
        }

        public boolean detached() {
            return detached;
        }

        /** The bytes of {@code buf[0..n)} to forward; after the sequence completes, nothing more. */
        public byte[] filter(byte[] buf, int n) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(n + keys.length);
            for (int i = 0; i < n && !detached; i++) {
                byte b = buf[i];
                while (true) {
                    if (b == keys[matched]) {
                        matched++;
                        if (matched == keys.length) {
                            detached = true;
                        }
                        break;
                    }
                    if (matched == 0) {
                        out.write(b);
                        break;
                    }
                    // release the held prefix up to the longest one that still matches
                    int keep = longestBorder(matched);
                    out.write(keys, 0, matched - keep);
                    matched = keep;
                }
            }
            return out.toByteArray();
        }

        /** The longest proper prefix of keys[0..len) that is also its suffix. */
        private int longestBorder(int len) {
            for (int k = len - 1; k > 0; k--) {
                if (Arrays.equals(keys, 0, k, keys, len - k, len)) {
                    return k;
                }
            }
            return 0;
        }
    }
}
