package dev.wharf.compose.load;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Compose's variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} (unset or
 * empty), {@code ${VAR-default}} (unset), {@code ${VAR:?message}} / {@code ${VAR?message}} (an
 * error), {@code ${VAR:+other}} / {@code ${VAR+other}}, and {@code $$} for a literal dollar.
 * Defaults may themselves hold substitutions. An unset variable with no default becomes the empty
 * string, with a warning, as Docker Compose does.
 */
final class Interpolator {

    /** A substitution that cannot be made: the text after "error: ". */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, String> env;
    private final Consumer<String> warnings;

    Interpolator(Map<String, String> env, Consumer<String> warnings) {
        this.env = env;
        this.warnings = warnings;
    }

    String apply(String s) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int end = substitute(s, 0, out, false);
        if (end != s.length()) {
            throw new Failure("invalid interpolation format for \"" + s + "\"");
        }
        return out.toString();
    }

    /**
     * Copies {@code s} from {@code i}, substituting, into {@code out}; stops at an unmatched
     * {@code }} when {@code nested}. Returns the index where it stopped.
     */
    private int substitute(String s, int i, StringBuilder out, boolean nested) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (nested && c == '}') {
                return i;
            }
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) {
                out.append('$');
                return i + 1;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{') {
                i = braced(s, i + 2, out);
            } else if (isNameStart(n)) {
                int j = i + 1;
                while (j < s.length() && isNamePart(s.charAt(j))) {
                    j++;
                }
                out.append(value(s.substring(i + 1, j)));
                i = j;
            } else {
                throw new Failure("invalid interpolation format for \"" + s + "\"");
            }
        }
        if (nested) {
            throw new Failure("invalid interpolation format for \"" + s + "\": missing '}'");
        }
        return i;
    }

    private int braced(String s, int i, StringBuilder out) {
        int j = i;
        while (j < s.length() && isNamePart(s.charAt(j))) {
            j++;
        }
        String name = s.substring(i, j);
        if (name.isEmpty() || !isNameStart(name.charAt(0)) || j >= s.length()) {
            throw new Failure("invalid interpolation format for \"" + s + "\"");
        }
        char op = s.charAt(j);
        if (op == '}') {
            out.append(value(name));
            return j + 1;
        }
        boolean colon = op == ':';
        int k = colon ? j + 1 : j;
        if (k >= s.length() || "-?+".indexOf(s.charAt(k)) < 0) {
            throw new Failure("invalid interpolation format for \"" + s + "\"");
        }
        char kind = s.charAt(k);
        StringBuilder arg = new StringBuilder();
        int close = substitute(s, k + 1, arg, true);
        String v = env.get(name);
        boolean set = v != null;
        boolean present = set && (!colon || !v.isEmpty());
        switch (kind) {
            case '-' -> out.append(present ? v : arg);
            case '+' -> out.append(present ? arg : "");
            default -> {
                if (!present) {
                    throw new Failure("required variable " + name + " is missing a value"
                            + (arg.isEmpty() ? "" : ": " + arg));
                }
                out.append(v);
            }
        }
        return close + 1;
    }

    private String value(String name) {
        String v = env.get(name);
        if (v == null) {
            warnings.accept("The \"" + name + "\" variable is not set. Defaulting to a blank string.");
            return "";
        }
        return v;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
