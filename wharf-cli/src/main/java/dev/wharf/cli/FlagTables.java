package dev.wharf.cli;

import dev.wharf.cli.command.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The flags of each command class as a small text resource beside the class ({@code Foo.flags}),
 * written at build time from the picocli annotations, so that {@link FlagParser} need not read
 * annotations at run time: the JDK makes a proxy class per annotation type the first time one is
 * read, and that took ~20 of the ~150 ms of a {@code wharf ps}.
 *
 * <p>One line per annotated field declared by that class, tab-separated:
 * {@code option FIELD NAMES(,) HELP(0|1) HAS_DEFAULT(0|1) [DEFAULT]}, {@code params FIELD} or
 * {@code mixin FIELD}. A class without such fields gets an empty table.
 */
public final class FlagTables {

    /** One annotated field. {@code names} empty for params and mixins. */
    record Row(String kind, String field, List<String> names, boolean help, String defaultValue) {
    }

    private FlagTables() {
    }

    /** Writes the tables of every command's classes (hierarchy and mixins) under {@code classesDir}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Set<Class<?>> done = new LinkedHashSet<>();
        for (Commands.Entry e : Commands.entries()) {
            write(e.factory().get().getClass(), out, done);
        }
        for (dev.wharf.cli.command.compose.ComposeCommand.Sub s : dev.wharf.cli.command.compose.ComposeCommand.subcommands()) {
            write(s.factory().get().getClass(), out, done);
        }
    }

    private static void write(Class<?> start, Path out, Set<Class<?>> done) throws IOException {
        for (Class<?> c = start; c != null && c != Object.class; c = c.getSuperclass()) {
            if (!done.add(c)) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (Row r : describe(c)) {
                sb.append(format(r)).append('\n');
            }
            Path f = out.resolve(resource(c));
            Files.createDirectories(f.getParent());
            Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
            for (Field field : c.getDeclaredFields()) {
                if (field.getAnnotation(Mixin.class) != null) {
                    write(field.getType(), out, done);
                }
            }
        }
    }

    /** The rows of the fields {@code c} itself declares, from their annotations. */
    static List<Row> describe(Class<?> c) {
        List<Row> rows = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                boolean hasDefault = !o.defaultValue().equals(Option.NULL_VALUE)
                        && !o.defaultValue().startsWith("__no_default");
                rows.add(new Row("option", f.getName(), List.of(o.names()), o.usageHelp(),
                        hasDefault ? o.defaultValue() : null));
            } else if (f.getAnnotation(Parameters.class) != null) {
                rows.add(new Row("params", f.getName(), List.of(), false, null));
            } else if (f.getAnnotation(Mixin.class) != null) {
                rows.add(new Row("mixin", f.getName(), List.of(), false, null));
            }
        }
        return rows;
    }

    /** The table of {@code c} from its resource; null when there is none (then read the annotations). */
    static List<Row> read(Class<?> c) {
        try (InputStream in = c.getClassLoader() == null ? null
                : c.getClassLoader().getResourceAsStream(resource(c))) {
            if (in == null) {
                return null;
            }
            List<Row> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(parse(line));
                }
            }
            return rows;
        } catch (IOException e) {
            return null;
        }
    }

    static String format(Row r) {
        if (!r.kind().equals("option")) {
            return r.kind() + "\t" + r.field();
        }
        return "option\t" + r.field() + "\t" + String.join(",", r.names()) + "\t" + (r.help() ? 1 : 0) + "\t"
                + (r.defaultValue() == null ? "0" : "1\t" + r.defaultValue());
    }

    static Row parse(String line) {
        String[] p = line.split("\t", 6);
        if (!p[0].equals("option")) {
            return new Row(p[0], p[1], List.of(), false, null);
        }
        return new Row("option", p[1], List.of(p[2].split(",")), p[3].equals("1"),
                p[4].equals("1") ? (p.length > 5 ? p[5] : "") : null);
    }

    private static String resource(Class<?> c) {
        return c.getName().replace('.', '/') + ".flags";
    }
}
