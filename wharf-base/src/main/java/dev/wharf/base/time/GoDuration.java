package dev.wharf.base.time;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration}, which Docker uses for durations on the command line, in
 * compose files and in {@code since}/{@code until} filters: an optional sign, then one or more
 * decimal numbers each with a unit ({@code ns us µs ms s m h}), as {@code 1h30m} or {@code -1.5s};
 * {@code 0} alone needs no unit.
 */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d*)(\\.\\d*)?(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {
    }

    /**
     * The duration in nanoseconds.
     *
     * @throws IllegalArgumentException in Go's words ({@code time: unknown unit "x" in duration "3x"})
     */
    public static long parseNanos(String s) {
        String t = s;
        boolean neg = false;
        if (t.startsWith("-") || t.startsWith("+")) {
            neg = t.charAt(0) == '-';
            t = t.substring(1);
        }
        if (t.equals("0")) {
            return 0;
        }
        if (t.isEmpty()) {
            throw invalid(s);
        }
        BigDecimal total = BigDecimal.ZERO;
        int pos = 0;
        Matcher m = PART.matcher(t);
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos || (m.group(1).isEmpty()
                    && (m.group(2) == null || m.group(2).length() < 2))) {
                String rest = t.substring(pos);
                if (rest.matches("[0-9.]+")) {
                    throw new IllegalArgumentException("time: missing unit in duration \"" + s + "\"");
                }
                if (rest.matches("[0-9.]+.*")) {
                    String unit = rest.replaceFirst("^[0-9.]+", "").replaceFirst("[0-9.].*$", "");
                    throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + s + "\"");
                }
                throw invalid(s);
            }
            String num = (m.group(1).isEmpty() ? "0" : m.group(1)) + (m.group(2) == null ? "" : m.group(2));
            if (num.endsWith(".")) {
                num = num + "0";
            }
            long unit = switch (m.group(3)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(new BigDecimal(num).multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(s);
        }
        long ns = total.longValue();
        return neg ? -ns : ns;
    }

    /** The duration in nanoseconds, or null when {@code s} is not one. */
    public static Long nanosOrNull(String s) {
        try {
            return parseNanos(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("time: invalid duration \"" + s + "\"");
    }
}
