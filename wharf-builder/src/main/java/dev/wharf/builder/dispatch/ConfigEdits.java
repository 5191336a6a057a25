package dev.wharf.builder.dispatch;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.image.ImageConfig.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pure edits of an image's run config, one per metadata instruction. */
final class ConfigEdits {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private ConfigEdits() {
    }

    static RunConfig with(RunConfig c, String user, Map<String, Object> ports, List<String> env, List<String> entrypoint,
            List<String> cmd, Map<String, Object> volumes, String workdir, Map<String, String> labels, String stop,
            Object health, List<String> onBuild, List<String> shell) {
        return new RunConfig(user, ports, env, entrypoint, cmd, volumes, workdir, labels, stop, health, onBuild, shell);
    }

    static RunConfig env(RunConfig c, Map<String, String> set) {
        List<String> env = new ArrayList<>(c.env() == null ? List.of() : c.env());
        for (Map.Entry<String, String> e : set.entrySet()) {
            String prefix = e.getKey() + "=";
            boolean replaced = false;
            for (int i = 0; i < env.size(); i++) {
                if (env.get(i).startsWith(prefix) || env.get(i).equals(e.getKey())) {
                    env.set(i, prefix + e.getValue());
                    replaced = true;
                }
            }
            if (!replaced) {
                env.add(prefix + e.getValue());
            }
        }
        return with(c, c.user(), c.exposedPorts(), env, c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(),
                c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig labels(RunConfig c, Map<String, String> add) {
        Map<String, String> labels = new LinkedHashMap<>(c.labels() == null ? Map.of() : c.labels());
        labels.putAll(add);
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(),
                labels, c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig user(RunConfig c, String user) {
        return with(c, user, c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(),
                c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig workdir(RunConfig c, String dir) {
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), dir, c.labels(),
                c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig cmd(RunConfig c, List<String> cmd) {
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), cmd, c.volumes(), c.workingDir(),
                c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig entrypoint(RunConfig c, List<String> ep, boolean keepCmd) {
        return with(c, c.user(), c.exposedPorts(), c.env(), ep, keepCmd ? c.cmd() : null, c.volumes(),
                c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig expose(RunConfig c, List<String> ports) {
        Map<String, Object> map = new LinkedHashMap<>(c.exposedPorts() == null ? Map.of() : c.exposedPorts());
        for (String p : ports) {
            for (String one : expandPort(p)) {
                map.put(one, Map.of());
            }
        }
        return with(c, c.user(), map, c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(),
                c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig volumes(RunConfig c, List<String> paths) {
        Map<String, Object> map = new LinkedHashMap<>(c.volumes() == null ? Map.of() : c.volumes());
        for (String p : paths) {
            map.put(p, Map.of());
        }
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), map, c.workingDir(), c.labels(),
                c.stopSignal(), c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig stopSignal(RunConfig c, String sig) {
        if (!sig.matches("(?i)(SIG)?[A-Z0-9]+([+-][0-9]+)?") ) {
            throw new InvalidArgumentException("Invalid signal: " + sig);
        }
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(),
                c.labels(), sig, c.healthcheck(), c.onBuild(), c.shell());
    }

    static RunConfig health(RunConfig c, Object health) {
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(),
                c.labels(), c.stopSignal(), health, c.onBuild(), c.shell());
    }

    static RunConfig onBuild(RunConfig c, List<String> triggers) {
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(),
                c.labels(), c.stopSignal(), c.healthcheck(), triggers, c.shell());
    }

    static RunConfig shell(RunConfig c, List<String> shell) {
        return with(c, c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(),
                c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild(), shell);
    }

    /** {@code 80}, {@code 80/udp}, {@code 8000-8002/tcp} → {@code 80/tcp}, … */
    static List<String> expandPort(String p) {
        String s = p.strip();
        String proto = "tcp";
        int slash = s.indexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1).toLowerCase(Locale.ROOT);
            s = s.substring(0, slash);
        }
        if (!List.of("tcp", "udp", "sctp").contains(proto)) {
            throw new InvalidArgumentException("invalid proto: " + proto);
        }
        int dash = s.indexOf('-');
        try {
            int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1));
            if (from < 0 || to > 65535 || to < from) {
                throw new NumberFormatException();
            }
            if (to - from > 65535) {
                throw new NumberFormatException();
            }
            List<String> out = new ArrayList<>();
            for (int i = from; i <= to; i++) {
                out.add(i + "/" + proto);
            }
            return out;
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid containerPort: " + s);
        }
    }

    /** Go's duration syntax ({@code 1m30s}, {@code 500ms}) in nanoseconds. */
    static long duration(String flag, String s) {
        if (s.equals("0")) {
            return 0;
        }
        Matcher m = DURATION.matcher(s);
        long total = 0;
        int pos = 0;
        while (m.find() && m.start() == pos) {
            double v = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total += (long) (v * unit);
            pos = m.end();
        }
        if (pos != s.length() || s.isEmpty()) {
            throw new InvalidArgumentException("time: invalid duration \"" + s + "\" for --" + flag);
        }
        return total;
    }

    static Map<String, Object> healthcheck(List<String> test, String interval, String timeout, String startPeriod,
            String startInterval, String retries) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Test", test);
        putDuration(h, "Interval", "interval", interval);
        putDuration(h, "Timeout", "timeout", timeout);
        putDuration(h, "StartPeriod", "start-period", startPeriod);
        putDuration(h, "StartInterval", "start-interval", startInterval);
        if (retries != null) {
            try {
                int r = Integer.parseInt(retries);
                if (r < 0) {
                    throw new InvalidArgumentException("--retries cannot be negative (" + r + ")");
                }
                if (r > 0) {
                    h.put("Retries", r);
                }
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("invalid value for --retries: " + retries);
            }
        }
        return h;
    }

    private static void putDuration(Map<String, Object> h, String key, String flag, String v) {
        if (v == null) {
            return;
        }
        long ns = duration(flag, v);
        if (ns != 0 && ns < 1_000_000L) {
            throw new InvalidArgumentException(key + " \"" + v + "\" cannot be less than 1ms");
        }
        if (ns > 0) {
            h.put(key, ns);
        }
    }
}
