package dev.wharf.compose.load;

import dev.wharf.compose.load.YNode.YMap;
import dev.wharf.compose.load.YNode.YScalar;
import dev.wharf.compose.load.YNode.YSeq;
import dev.wharf.compose.model.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of {@link YNode}s for the converters: each names the dotted key and the place in
 * the file when the value has the wrong shape.
 */
final class Fields {

    private Fields() {
    }

    static ComposeFileException error(YNode n, String path, String problem) {
        return new ComposeFileException(n == null ? null : n.at(), path, problem);
    }

    /** One item of a list, with its path ({@code ports[2]}). */
    record Item(YNode node, String path) {
    }

    /** The items of a list field; none for an absent field. */
    static List<Item> items(YNode n, String path) {
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof YSeq seq)) {
            throw error(n, path, "must be a list");
        }
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            out.add(new Item(seq.items().get(i), path + "[" + i + "]"));
        }
        return out;
    }

    static YMap map(YNode n, String path) {
        if (n instanceof YMap m) {
            return m;
        }
        throw error(n, path, "must be a mapping");
    }

    /** A mapping, or an empty one for {@code key:} with no value. */
    static YMap mapOrEmpty(YNode n, String path) {
        if (n instanceof YScalar s && s.isNull()) {
            return new YMap(Map.of(), Map.of(), s.at(), null);
        }
        return map(n, path);
    }

    /** Refuses a key not in {@code allowed} (extension keys {@code x-…} are always allowed). */
    static void checkKeys(YMap m, String path, Set<String> allowed) {
        for (String k : m.entries().keySet()) {
            if (!allowed.contains(k) && !k.startsWith("x-")) {
                throw new ComposeFileException(m.keyAt(k), path, "additional property " + k + " is not allowed");
            }
        }
    }

    static String str(YNode n, String path) {
        if (n == null) {
            return null;
        }
        if (n instanceof YScalar s) {
            return s.isNull() ? null : s.value();
        }
        throw error(n, path, "must be a string");
    }

    static Integer integer(YNode n, String path) {
        String s = str(n, path);
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw error(n, path, "must be an integer, not \"" + s + "\"");
        }
    }

    static Long longValue(YNode n, String path) {
        String s = str(n, path);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw error(n, path, "must be an integer, not \"" + s + "\"");
        }
    }

    static Double number(YNode n, String path) {
        String s = str(n, path);
        if (s == null) {
            return null;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw error(n, path, "must be a number, not \"" + s + "\"");
        }
    }

    static boolean bool(YNode n, String path) {
        Boolean b = boolOrNull(n, path);
        return b != null && b;
    }

    static Boolean boolOrNull(YNode n, String path) {
        String s = str(n, path);
        if (s == null) {
            return null;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "on" -> true;
            case "false", "no", "n", "off" -> false;
            default -> throw error(n, path, "must be a boolean, not \"" + s + "\"");
        };
    }

    static Duration duration(YNode n, String path) {
        String s = str(n, path);
        if (s == null) {
            return null;
        }
        Duration d = GoDuration.parse(s);
        if (d == null) {
            throw error(n, path, "invalid duration \"" + s + "\" (like 30s, 1m30s, 500ms)");
        }
        return d;
    }

    /** A byte size: a number of bytes, or with a unit b, k, m, g (kb, mb, gb, and …ib too). */
    static Long bytes(YNode n, String path) {
        String s = str(n, path);
        if (s == null) {
            return null;
        }
        String t = s.strip().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?").matcher(t);
        if (!m.matches()) {
            throw error(n, path, "invalid size \"" + s + "\" (like 512m or 1g)");
        }
        double v = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1;
        };
        return (long) (v * unit);
    }

    /** A list of strings; a single string counts as a list of one. */
    static List<String> strings(YNode n, String path) {
        if (n == null || n instanceof YScalar s && s.isNull()) {
            return List.of();
        }
        if (n instanceof YScalar s) {
            return List.of(s.value());
        }
        if (n instanceof YSeq seq) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                YNode item = seq.items().get(i);
                String v = str(item, path + "[" + i + "]");
                if (v == null) {
                    throw error(item, path + "[" + i + "]", "must be a string");
                }
                out.add(v);
            }
            return out;
        }
        throw error(n, path, "must be a string or a list of strings");
    }

    /** {@code command}/{@code entrypoint}: a list as is, a string split as a shell would. Null when absent. */
    static List<String> command(YNode n, String path) {
        if (n == null || n instanceof YScalar s && s.isNull()) {
            return null;
        }
        if (n instanceof YScalar s) {
            try {
                return ShellWords.split(s.value());
            } catch (IllegalArgumentException e) {
                throw error(n, path, e.getMessage());
            }
        }
        return strings(n, path);
    }

    /**
     * A mapping of strings written as a mapping or as a list of {@code KEY=VALUE}; a key with no
     * value maps to null.
     */
    static Map<String, String> stringMap(YNode n, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n instanceof YScalar s && s.isNull()) {
            return out;
        }
        if (n instanceof YSeq seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                String v = str(seq.items().get(i), path + "[" + i + "]");
                if (v == null) {
                    continue;
                }
                int eq = v.indexOf('=');
                out.put(eq < 0 ? v : v.substring(0, eq), eq < 0 ? null : v.substring(eq + 1));
            }
            return out;
        }
        YMap m = map(n, path);
        m.entries().forEach((k, v) -> {
            if (v instanceof YScalar s) {
                out.put(k, s.isNull() ? null : s.value());
            } else {
                throw error(v, path + "." + k, "must be a string, number or boolean");
            }
        });
        return out;
    }
}
