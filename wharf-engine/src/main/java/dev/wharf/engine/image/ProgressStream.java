package dev.wharf.engine.image;

import dev.wharf.model.common.ProgressMessage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker's progress messages for one pull or push, handed to the listener one at a time (several
 * transfer threads report at once). Byte progress of a layer is sent at most every 100 ms, and
 * always at its end; {@code progress} carries the bar the daemon renders as moby does.
 */
final class ProgressStream {

    private static final long INTERVAL_NANOS = 100_000_000L;

    private final ProgressListener listener;
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

    ProgressStream(ProgressListener listener) {
        this.listener = listener;
    }

    private boolean broken;

    /**
     * Sends one message. A listener that fails (its client went away) hears nothing more; the
     * operation itself goes on, since other pulls may share its downloads.
     */
    synchronized void send(ProgressMessage m) {
        if (broken) {
            return;
        }
        try {
            listener.progress(m);
        } catch (RuntimeException e) {
            broken = true;
        }
    }

    /** Whether the listener's client is gone: the operation should stop. */
    boolean cancelled() {
        return listener.cancelled();
    }

    /** Throws {@link Cancelled} when the listener's client is gone. */
    void checkCancelled() {
        if (listener.cancelled()) {
            throw new Cancelled();
        }
    }

    /** A pull or push stopped because its client went away. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("context canceled: the client went away", null, false, false);
        }
    }

    void status(String s) {
        send(ProgressMessage.status(s));
    }

    /** A status with an id and an empty progressDetail: {@code Pulling fs layer}, {@code Pushed}, … */
    void layer(String id, String status) {
        send(new ProgressMessage(status, id, Map.of(), null, null, null, null, null));
    }

    /** {@code Downloading}, {@code Extracting}, {@code Pushing}: sent when due, or when {@code force}. */
    void bytes(String id, String status, long current, long total, boolean force) {
        long now = System.nanoTime();
        Long last = lastSent.get(id + status);
        if (!force && last != null && now - last < INTERVAL_NANOS) {
            return;
        }
        lastSent.put(id + status, now);
        send(ProgressMessage.progress(id, status, current, total, bar(current, total)));
    }

    /** moby's {@code JSONProgress.String()} at a wide terminal: {@code [=====>    ]  32.77kB/1.028MB}. */
    static String bar(long current, long total) {
        if (total <= 0) {
            return String.format("%8s", humanSize(current));
        }
        int pct = (int) Math.min(50, (long) ((double) current / total * 100) / 2);
        return "[" + "=".repeat(pct) + ">" + " ".repeat(Math.max(0, 50 - pct)) + "] "
                + String.format("%8s/%s", humanSize(current), humanSize(total));
    }

    /** go-units {@code HumanSize}: decimal units, four significant digits ({@code 32.77kB}). */
    static String humanSize(double size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        int i = 0;
        while (size >= 1000 && i < units.length - 1) {
            size /= 1000;
            i++;
        }
        BigDecimal d = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros();
        return d.toPlainString() + units[i];
    }
}
