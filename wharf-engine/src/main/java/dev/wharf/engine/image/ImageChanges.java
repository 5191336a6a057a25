package dev.wharf.engine.image;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.Json;
import dev.wharf.oci.image.ImageConfig.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the Dockerfile instructions that {@code import --change} and {@code commit --change}
 * accept (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL) to a run config.
 */
final class ImageChanges {

    private ImageChanges() {
    }

    static RunConfig apply(RunConfig base, List<String> changes) {
        RunConfig c = base == null ? RunConfig.empty() : base;
        for (String change : changes) {
            for (String line : change.split("\n")) {
                if (!line.isBlank()) {
                    c = applyOne(c, line.strip());
                }
            }
        }
        return c;
    }

    private static RunConfig applyOne(RunConfig c, String line) {
        int sp = line.indexOf(' ');
        String op = (sp < 0 ? line : line.substring(0, sp)).toUpperCase();
        String arg = sp < 0 ? "" : line.substring(sp + 1).strip();
        return switch (op) {
            case "CMD" -> new RunConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), command(arg),
                    c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
            case "ENTRYPOINT" -> new RunConfig(c.user(), c.exposedPorts(), c.env(), command(arg), c.cmd(),
                    c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
            case "ENV" -> new RunConfig(c.user(), c.exposedPorts(), env(c.env(), arg), c.entrypoint(), c.cmd(),
                    c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
            case "WORKDIR" -> new RunConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    c.volumes(), arg, c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
            case "USER" -> new RunConfig(arg, c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(),
                    c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
            case "STOPSIGNAL" -> new RunConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    c.volumes(), c.workingDir(), c.labels(), arg, c.healthcheck(), c.onBuild(), c.shell());
            case "LABEL" -> new RunConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(),
                    c.workingDir(), labels(c.labels(), arg), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
            case "EXPOSE" -> new RunConfig(c.user(), set(c.exposedPorts(), arg, true), c.env(), c.entrypoint(),
                    c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(),
                    c.shell());
            case "VOLUME" -> new RunConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                    set(c.volumes(), arg, false), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(),
                    c.onBuild(), c.shell());
            default -> throw new InvalidArgumentException(op + " is not a valid change command");
        };
    }

    /** JSON form as is; shell form wrapped in {@code /bin/sh -c}. */
    private static List<String> command(String arg) {
        if (arg.startsWith("[")) {
            try {
                return Json.mapper().readValue(arg, new TypeReference<List<String>>() { });
            } catch (Exception e) {
                // Docker falls back to the shell form when the JSON does not parse.
            }
        }
        return List.of("/bin/sh", "-c", arg);
    }

    private static List<String> env(List<String> env, String arg) {
        Map<String, String> m = new LinkedHashMap<>();
        if (env != null) {
            for (String kv : env) {
                int i = kv.indexOf('=');
                m.put(i < 0 ? kv : kv.substring(0, i), kv);
            }
        }
        for (Map.Entry<String, String> e : pairs(arg, "ENV").entrySet()) {
            m.put(e.getKey(), e.getKey() + "=" + e.getValue());
        }
        return new ArrayList<>(m.values());
    }

    private static Map<String, String> labels(Map<String, String> labels, String arg) {
        Map<String, String> m = new LinkedHashMap<>();
        if (labels != null) {
            m.putAll(labels);
        }
        m.putAll(pairs(arg, "LABEL"));
        return m;
    }

    /** {@code k=v k2="v 2"} or the legacy {@code k v} form. */
    private static Map<String, String> pairs(String arg, String op) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!arg.contains("=")) {
            int sp = arg.indexOf(' ');
            if (sp < 0) {
                throw new InvalidArgumentException(op + " requires two arguments");
            }
            m.put(arg.substring(0, sp), arg.substring(sp + 1).strip());
            return m;
        }
        int i = 0;
        while (i < arg.length()) {
            while (i < arg.length() && arg.charAt(i) == ' ') {
                i++;
            }
            int eq = arg.indexOf('=', i);
            if (eq < 0) {
                throw new InvalidArgumentException(op + " names can not be blank");
            }
            String k = arg.substring(i, eq);
            StringBuilder v = new StringBuilder();
            i = eq + 1;
            char quote = 0;
            while (i < arg.length() && (quote != 0 || arg.charAt(i) != ' ')) {
                char ch = arg.charAt(i);
                if (quote == 0 && (ch == '"' || ch == '\'')) {
                    quote = ch;
                } else if (ch == quote) {
                    quote = 0;
                } else if (ch == '\\' && i + 1 < arg.length()) {
                    v.append(arg.charAt(++i));
                } else {
                    v.append(ch);
                }
                i++;
            }
            m.put(k, v.toString());
        }
        return m;
    }

    private static Map<String, Object> set(Map<String, Object> base, String arg, boolean ports) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (base != null) {
            m.putAll(base);
        }
        List<String> items;
        if (arg.startsWith("[")) {
            items = command(arg);
        } else {
            items = List.of(arg.split("\\s+"));
        }
        for (String it : items) {
            m.put(ports && !it.contains("/") ? it + "/tcp" : it, Map.of());
        }
        return m;
    }
}
