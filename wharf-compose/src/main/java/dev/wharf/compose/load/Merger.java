package dev.wharf.compose.load;

import dev.wharf.compose.load.YNode.YMap;
import dev.wharf.compose.load.YNode.YScalar;
import dev.wharf.compose.load.YNode.YSeq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges a later compose file over an earlier one by the specification's rules: mappings merge
 * key by key; {@code command}, {@code entrypoint} and {@code healthcheck.test} are replaced;
 * {@code environment}, {@code labels}, {@code extra_hosts}, {@code depends_on}, {@code networks},
 * {@code sysctls}, {@code ulimits} and {@code build.args} merge as mappings whichever syntax each
 * file used; {@code ports} (by their whole value), {@code volumes}, {@code secrets} and
 * {@code configs} (by target) replace an entry of the same key and append the others; other
 * lists are appended without duplicates. The tags {@code !reset} (drop the earlier value) and
 * {@code !override} (replace it whole) are honoured.
 */
final class Merger {

    private static final Set<String> REPLACED = Set.of("command", "entrypoint", "healthcheck.test");
    private static final Set<String> AS_MAPPING = Set.of("environment", "labels", "extra_hosts", "depends_on",
            "networks", "sysctls", "ulimits", "annotations", "build.args", "build.labels", "logging.options");
    private static final Set<String> BY_TARGET = Set.of("volumes", "secrets", "configs", "ports");

    private Merger() {
    }

    /** {@code over} merged onto {@code base}; null when {@code over} is {@code !reset}. */
    static YNode merge(YNode base, YNode over, String path) {
        if ("!reset".equals(over.tag())) {
            return null;
        }
        if ("!override".equals(over.tag()) || base == null) {
            return untag(over);
        }
        String rule = rule(path);
        if (rule != null) {
            if (REPLACED.contains(rule)) {
                return over;
            }
            if (AS_MAPPING.contains(rule)) {
                return mergeMaps(Fields.map(asMapping(base, rule), path), Fields.map(asMapping(over, rule), path), path);
            }
            if (BY_TARGET.contains(rule) && base instanceof YSeq b && over instanceof YSeq o) {
                return byKey(b, o, rule);
            }
            if (rule.equals("build")) {
                return mergeMaps(Fields.map(buildMap(base), path), Fields.map(buildMap(over), path), path);
            }
        }
        if (base instanceof YMap b && over instanceof YMap o) {
            return mergeMaps(b, o, path);
        }
        if (base instanceof YSeq b && over instanceof YSeq o) {
            List<YNode> items = new ArrayList<>(b.items());
            for (YNode n : o.items()) {
                if (!(n instanceof YScalar s) || items.stream().noneMatch(x -> x instanceof YScalar xs
                        && xs.value().equals(s.value()))) {
                    items.add(n);
                }
            }
            return new YSeq(items, o.at(), null);
        }
        return over;
    }

    private static YNode untag(YNode n) {
        return switch (n) {
            case YMap m -> new YMap(m.entries(), m.keys(), m.at(), null);
            case YSeq s -> new YSeq(s.items(), s.at(), null);
            case YScalar s -> new YScalar(s.value(), s.kind(), s.at(), null);
        };
    }

    private static YMap mergeMaps(YMap b, YMap o, String path) {
        Map<String, YNode> entries = new LinkedHashMap<>(b.entries());
        Map<String, Location> keys = new LinkedHashMap<>(b.keys());
        for (Map.Entry<String, YNode> e : o.entries().entrySet()) {
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            YNode merged = merge(entries.get(e.getKey()), e.getValue(), child);
            if (merged == null) {
                entries.remove(e.getKey());
                keys.remove(e.getKey());
            } else {
                entries.put(e.getKey(), merged);
                keys.put(e.getKey(), o.keyAt(e.getKey()));
            }
        }
        return new YMap(entries, keys, o.at(), null);
    }

    /** The service-relative rule name of a path ({@code services.web.build.args} → {@code build.args}). */
    static String rule(String path) {
        if (!path.startsWith("services.")) {
            return null;
        }
        int dot = path.indexOf('.', "services.".length());
        return dot < 0 ? null : path.substring(dot + 1);
    }

    /** {@code build: ./dir} as {@code build: {context: ./dir}}. */
    static YNode buildMap(YNode n) {
        if (n instanceof YScalar s) {
            return new YMap(Map.of("context", s), Map.of("context", s.at()), s.at(), null);
        }
        return n;
    }

    /** A list written as {@code [K=V, …]} (or {@code [name, …]}) as the equivalent mapping. */
    static YNode asMapping(YNode n, String rule) {
        if (!(n instanceof YSeq seq)) {
            return n;
        }
        Map<String, YNode> entries = new LinkedHashMap<>();
        Map<String, Location> keys = new LinkedHashMap<>();
        for (YNode item : seq.items()) {
            if (!(item instanceof YScalar s)) {
                throw new ComposeFileException(item.at(), rule, "must be a list of strings or a mapping");
            }
            String text = s.value();
            String sep = rule.equals("extra_hosts") && !text.contains("=") ? ":" : "=";
            int i = text.indexOf(sep);
            String key;
            YNode value;
            if (i < 0 || rule.equals("depends_on") || rule.equals("networks")) {
                key = text;
                value = rule.equals("depends_on") || rule.equals("networks")
                        ? new YMap(Map.of(), Map.of(), s.at(), null)
                        : new YScalar("", YScalar.Kind.NULL, s.at(), null);
            } else {
                key = text.substring(0, i);
                value = new YScalar(text.substring(i + 1), YScalar.Kind.STRING, s.at(), null);
            }
            entries.put(key, value);
            keys.put(key, s.at());
        }
        return new YMap(entries, keys, seq.at(), null);
    }

    private static YSeq byKey(YSeq b, YSeq o, String rule) {
        Map<String, YNode> items = new LinkedHashMap<>();
        for (YNode n : b.items()) {
            items.put(entryKey(n, rule), n);
        }
        for (YNode n : o.items()) {
            items.put(entryKey(n, rule), n);
        }
        return new YSeq(new ArrayList<>(items.values()), o.at(), null);
    }

    /** What identifies one entry of ports, volumes, secrets or configs across files. */
    static String entryKey(YNode n, String rule) {
        if (n instanceof YScalar s) {
            String v = s.value();
            return switch (rule) {
                case "volumes" -> {
                    String[] p = v.split(":");
                    yield p.length >= 2 ? p[1] : p[0];
                }
                case "secrets", "configs" -> "/" + v;
                default -> v;
            };
        }
        if (n instanceof YMap m) {
            YNode t = m.get("target");
            YNode src = m.get("source");
            if (rule.equals("ports")) {
                return String.join("|", text(m.get("host_ip")), text(m.get("published")), text(t),
                        text(m.get("protocol")));
            }
            return t != null ? text(t) : "/" + text(src);
        }
        return n.toString();
    }

    private static String text(YNode n) {
        return n instanceof YScalar s ? s.value() : "";
    }
}
