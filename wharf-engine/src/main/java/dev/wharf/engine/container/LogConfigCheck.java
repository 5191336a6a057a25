package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import java.util.Map;
import java.util.Set;

/**
 * The logging drivers Wharf has, checked as Docker checks them at create: {@code json-file} (the
 * default) and {@code local} keep conmon's k8s-file log, rotated at {@code max-size} into at most
 * {@code max-file} files ({@code local} defaults to 20m × 5); {@code none} keeps nothing.
 */
public record LogConfigCheck(String driver, long maxSize, int maxFile) {

    private static final Set<String> JSON_FILE_OPTS = Set.of("max-size", "max-file", "compress", "labels",
            "labels-regex", "env", "env-regex", "tag");
    private static final Set<String> LOCAL_OPTS = Set.of("max-size", "max-file", "compress");

    /** Whether the engine keeps a log that {@code docker logs} can read. */
    public boolean readable() {
        return !driver.equals("none");
    }

    /** Whether the log is rotated (max-size set). */
    public boolean rotates() {
        return readable() && maxSize > 0;
    }

    /** Checks and resolves a container's LogConfig; throws a 400 for what Docker refuses. */
    public static LogConfigCheck of(HostConfig.LogConfig lc) {
        String type = lc == null || lc.type() == null || lc.type().isEmpty() ? "json-file" : lc.type();
        Map<String, String> opts = lc == null || lc.config() == null ? Map.of() : lc.config();
        Set<String> known = switch (type) {
            case "json-file" -> JSON_FILE_OPTS;
            case "local" -> LOCAL_OPTS;
            case "none" -> Set.of();
            default -> throw new InvalidArgumentException("logger: no log driver named '" + type + "' is registered");
        };
        for (String k : opts.keySet()) {
            if (!known.contains(k)) {
                throw new InvalidArgumentException("unknown log opt '" + k + "' for " + type + " log driver");
            }
        }
        if (type.equals("none")) {
            return new LogConfigCheck(type, -1, 1);
        }
        boolean local = type.equals("local");
        long maxSize = local ? 20L * 1024 * 1024 : -1;
        int maxFile = local ? 5 : 1;
        String s = opts.get("max-size");
        if (s != null && !s.isEmpty()) {
            maxSize = size(s);
            if (maxSize <= 0 && !local) {
                maxSize = -1;
            }
        }
        String f = opts.get("max-file");
        if (f != null && !f.isEmpty()) {
            try {
                maxFile = Integer.parseInt(f.strip());
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("strconv.Atoi: parsing \"" + f + "\": invalid syntax");
            }
            if (maxFile < 1) {
                throw new InvalidArgumentException("max-file cannot be less than 1");
            }
        }
        if (local && maxSize <= 0) {
            throw new InvalidArgumentException("max-size must be a positive number");
        }
        return new LogConfigCheck(type, maxSize, maxFile);
    }

    /** Docker's {@code units.FromHumanSize}: a number with an optional decimal unit (k, m, g, ...). */
    static long size(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b?)$").matcher(t);
        if (!m.matches()) {
            throw new InvalidArgumentException("invalid size: '" + s + "'");
        }
        double n = Double.parseDouble(m.group(1));
        long mul = switch (m.group(2)) {
            case "k" -> 1000L;
            case "m" -> 1000_000L;
            case "g" -> 1000_000_000L;
            case "t" -> 1000_000_000_000L;
            case "p" -> 1000_000_000_000_000L;
            default -> 1L;
        };
        return (long) (n * mul);
    }
}
