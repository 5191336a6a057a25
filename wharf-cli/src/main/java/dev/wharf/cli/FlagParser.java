package dev.wharf.cli;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a subcommand's arguments the way docker's flag library (pflag) does, from the picocli
 * annotations on the command's fields (read at build time into {@link FlagTables}). picocli itself is only loaded to print {@code --help}:
 * its classes are compiled for Java 5, which the JDK's AOT cache cannot hold, and loading them
 * costs about 90 ms, more than the whole start-up budget of {@code wharf ps}.
 *
 * <p>Supported: {@code --flag value}, {@code --flag=value}, {@code -f value}, {@code -fvalue},
 * clustered booleans ({@code -it}), {@code --bool=false}, repeated list flags, {@code --}, and
 * stopping at the first positional (for {@code run IMAGE COMMAND...}).
 */
public final class FlagParser {

    /** A flag error, worded like pflag's; exit 125. */
    public static final class FlagError extends RuntimeException {
        public FlagError(String message) {
            super(message, null, false, false);
        }
    }

    private record Spec(Object target, Field field, List<String> names, boolean usageHelp) {
        boolean isBoolean() {
            return field.getType() == boolean.class || field.getType() == Boolean.class;
        }

        String display() {
            String shortName = null;
            String longName = null;
            for (String s : names) {
                if (s.startsWith("--")) {
                    longName = longName == null ? s : longName;
                } else {
                    shortName = s;
                }
            }
            return shortName == null ? longName : shortName + ", " + longName;
        }
    }

    private final Map<String, Spec> byName = new LinkedHashMap<>();
    private Object positionalTarget;
    private Field positionalField;

    private FlagParser(Object command) {
        collect(command);
    }

    /**
     * Fills the command's fields from the arguments. Returns false when {@code --help} was given.
     *
     * @throws FlagError for an unknown flag, a missing value or a bad number
     */
    public static boolean parse(Object command, String[] args, boolean stopAtPositional) {
        return new FlagParser(command).run(args, stopAtPositional);
    }

    private void collect(Object target) {
        for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            List<FlagTables.Row> rows = FlagTables.read(c); // written at build time
            if (rows == null) {
                rows = FlagTables.describe(c); // a class without a table (a test's, say)
            }
            for (FlagTables.Row r : rows) {
                Field f;
                try {
                    f = c.getDeclaredField(r.field());
                } catch (NoSuchFieldException e) {
                    throw new IllegalStateException("stale flag table of " + c.getName() + ": " + r.field(), e);
                }
                f.setAccessible(true);
                switch (r.kind()) {
                    case "option" -> {
                        Spec s = new Spec(target, f, r.names(), r.help());
                        for (String n : r.names()) {
                            byName.put(n, s);
                        }
                        if (r.defaultValue() != null) {
                            set(s, r.defaultValue(), true);
                        }
                    }
                    case "params" -> {
                        positionalTarget = target;
                        positionalField = f;
                    }
                    case "mixin" -> collect(mixin(target, f));
                    default -> throw new IllegalStateException("flag table of " + c.getName() + ": " + r.kind());
                }
            }
        }
    }

    private static Object mixin(Object target, Field f) {
        try {
            Object mixin = f.get(target);
            if (mixin == null) {
                var ctor = f.getType().getDeclaredConstructor();
                ctor.setAccessible(true);
                mixin = ctor.newInstance();
                f.set(target, mixin);
            }
            return mixin;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean run(String[] args, boolean stopAtPositional) {
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                Spec s = byName.get(name);
                if (s == null) {
                    throw new FlagError("unknown flag: " + name);
                }
                if (s.usageHelp()) {
                    return false;
                }
                if (eq >= 0) {
                    set(s, a.substring(eq + 1), false);
                } else if (s.isBoolean()) {
                    set(s, "true", false);
                } else if (i + 1 < args.length) {
                    set(s, args[++i], false);
                } else {
                    throw new FlagError("flag needs an argument: " + name);
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    Spec s = byName.get("-" + c);
                    if (s == null) {
                        throw new FlagError("unknown shorthand flag: '" + c + "' in " + a);
                    }
                    String rest = a.substring(k + 1);
                    if (s.isBoolean()) {
                        if (rest.startsWith("=")) {
                            set(s, rest.substring(1), false);
                            break;
                        }
                        set(s, "true", false);
                        continue;
                    }
                    if (!rest.isEmpty()) {
                        set(s, rest.startsWith("=") ? rest.substring(1) : rest, false);
                    } else if (i + 1 < args.length) {
                        set(s, args[++i], false);
                    } else {
                        throw new FlagError("flag needs an argument: '" + c + "' in " + a);
                    }
                    break;
                }
            } else {
                positional.add(a);
                if (stopAtPositional) {
                    positional.addAll(List.of(args).subList(i + 1, args.length));
                    break;
                }
            }
        }
        if (positionalField != null) {
            try {
                positionalField.set(positionalTarget, positional);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        } else if (!positional.isEmpty()) {
            throw new FlagError("unexpected argument: " + positional.getFirst());
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static void set(Spec s, String value, boolean isDefault) {
        Field f = s.field();
        Class<?> t = f.getType();
        try {
            if (t == boolean.class || t == Boolean.class) {
                f.set(s.target(), parseBool(s, value));
            } else if (t == int.class || t == Integer.class) {
                f.set(s.target(), (int) parseInt(s, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            } else if (t == long.class || t == Long.class) {
                f.set(s.target(), parseInt(s, value, Long.MIN_VALUE, Long.MAX_VALUE));
            } else if (t == String.class) {
                f.set(s.target(), value);
            } else if (List.class.isAssignableFrom(t) && isStringList(f)) {
                List<String> l = (List<String>) f.get(s.target());
                if (l == null) {
                    l = new ArrayList<>();
                    f.set(s.target(), l);
                }
                if (!isDefault) {
                    l.add(value);
                }
            } else {
                throw new IllegalStateException("unsupported flag type " + t + " of " + f);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** pflag's int and int64 flags: a whole number in range, or its strconv.ParseInt error. */
    private static long parseInt(Spec s, String value, long min, long max) {
        String v = value.strip();
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            if (!v.matches("[-+]?\\d+")) {
                throw new FlagError("invalid argument \"" + value + "\" for \"" + s.display()
                        + "\" flag: strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
            }
        }
        throw new FlagError("invalid argument \"" + value + "\" for \"" + s.display()
                + "\" flag: strconv.ParseInt: parsing \"" + value + "\": value out of range");
    }

    private static boolean isStringList(Field f) {
        return f.getGenericType() instanceof ParameterizedType p && p.getActualTypeArguments()[0] == String.class;
    }

    private static boolean parseBool(Spec s, String v) {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new FlagError("invalid argument \"" + v + "\" for \"" + s.display()
                    + "\" flag: strconv.ParseBool: parsing \"" + v + "\": invalid syntax");
        };
    }
}
