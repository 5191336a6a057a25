package dev.wharf.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/** Docker's human units (go-units): "About a minute", "4.26MB", and the ps status text. */
public final class Units {

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private Units() {
    }

    /** go-units HumanDuration. */
    public static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }

    /** "2 minutes ago" for a unix-seconds timestamp. */
    public static String ago(long unixSeconds, Instant now) {
        return humanDuration(Duration.between(Instant.ofEpochSecond(unixSeconds), now)) + " ago";
    }

    /** go-units HumanSizeWithPrecision: decimal units, Go's %.{precision}g. */
    public static String humanSize(double size, int precision) {
        int i = 0;
        while (size >= 1000.0 && i < DECIMAL.length - 1) {
            size /= 1000.0;
            i++;
        }
        return formatG(size, precision) + DECIMAL[i];
    }

    /** go-units BytesSize: binary units, precision 4 ("3.84GiB"). */
    public static String bytesSize(double size) {
        String[] binary = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
        int i = 0;
        while (size >= 1024.0 && i < binary.length - 1) {
            size /= 1024.0;
            i++;
        }
        return formatG(size, 4) + binary[i];
    }

    /** go-units HumanSize (precision 4). */
    public static String humanSize(double size) {
        return humanSize(size, 4);
    }

    /** Go's {@code %.Ng}: N significant digits, trailing zeros dropped, exponent when large. */
    static String formatG(double v, int precision) {
        if (v == 0) {
            return "0";
        }
        BigDecimal r = new BigDecimal(v).round(new MathContext(precision));
        int exp = r.precision() - r.scale() - 1;
        if (exp < -4 || exp >= precision) {
            BigDecimal mant = r.movePointLeft(exp).stripTrailingZeros();
            return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        return r.stripTrailingZeros().toPlainString();
    }

    /**
     * The STATUS column as the daemon renders it: "Created", "Up 2 minutes",
     * "Exited (0) 3 seconds ago".
     */
    public static String containerStatus(String state, int exitCode, Instant startedAt, Instant finishedAt,
            Instant now) {
        return switch (state) {
            case "running" -> "Up " + humanDuration(Duration.between(startedAt, now));
            case "paused" -> "Up " + humanDuration(Duration.between(startedAt, now)) + " (Paused)";
            case "restarting" -> "Restarting (" + exitCode + ") " + humanDuration(Duration.between(finishedAt, now))
                    + " ago";
            case "exited" -> "Exited (" + exitCode + ") " + humanDuration(Duration.between(finishedAt, now)) + " ago";
            case "removing" -> "Removal In Progress";
            case "dead" -> "Dead";
            default -> "Created";
        };
    }

    /** docker/cli formatter.Ellipsis: at most n runes, the last one an ellipsis when cut. */
    public static String ellipsis(String s, int n) {
        int count = s.codePointCount(0, s.length());
        if (count <= n) {
            return s;
        }
        if (n <= 1) {
            return s.substring(0, s.offsetByCodePoints(0, Math.max(n, 0)));
        }
        return s.substring(0, s.offsetByCodePoints(0, n - 1)) + "…";
    }
}
