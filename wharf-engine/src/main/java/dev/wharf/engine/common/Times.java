package dev.wharf.engine.common;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.time.GoDuration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Time formats of the Docker API. */
public final class Times {

    public static final String ZERO = "0001-01-01T00:00:00Z";

    private Times() {
    }

    /** RFC 3339 with nanoseconds, trailing zeros trimmed, as Go prints it. */
    public static String rfc3339(Instant t) {
        if (t == null) {
            return ZERO;
        }
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** RFC 3339 with a fixed nine-digit fraction, as {@code logs -t} prints it. */
    public static String rfc3339Fixed(Instant t) {
        String s = t.toString();
        int dot = s.indexOf('.');
        String base = dot < 0 ? s.substring(0, s.length() - 1) : s.substring(0, dot);
        String frac = dot < 0 ? "" : s.substring(dot + 1, s.length() - 1);
        return base + "." + (frac + "000000000").substring(0, 9) + "Z";
    }

    public static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * A {@code since}/{@code until} value: unix seconds with an optional {@code .nanos} fraction, or
     * an RFC 3339 time. Null or empty gives null.
     */
    public static Instant parseTimestamp(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        Long ago = goDurationNanos(s);
        if (ago != null) {
            // Docker: a Go duration counts back from now, to the second.
            return Instant.ofEpochSecond(Instant.now().minusNanos(ago).getEpochSecond());
        }
        try {
            if (s.matches("-?\\d+(\\.\\d{1,9})?")) {
                int dot = s.indexOf('.');
                long sec = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
                long nano = dot < 0 ? 0 : Long.parseLong((s.substring(dot + 1) + "000000000").substring(0, 9));
                return Instant.ofEpochSecond(sec, nano);
            }
            return Instant.parse(s);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidArgumentException("invalid timestamp: " + s);
        }
    }

    /** A Go duration ("90s", "1h30m", "1.5h") in nanoseconds; null when {@code s} is none (or "0", a time). */
    static Long goDurationNanos(String s) {
        return s.equals("0") ? null : GoDuration.nanosOrNull(s);
    }
}
