package dev.wharf.cli.format;

import dev.wharf.base.text.Human;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/** Docker's human units (go-units): "4.26MB", "3.84GiB", "2 minutes ago". */
public final class Units {

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private Units() {
    }

    /** "2 minutes ago" for a unix-seconds timestamp. */
    public static String ago(long unixSeconds, Instant now) {
        return Human.duration(Duration.between(Instant.ofEpochSecond(unixSeconds), now)) + " ago";
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
