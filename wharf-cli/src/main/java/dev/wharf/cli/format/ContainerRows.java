package dev.wharf.cli.format;

import dev.wharf.model.container.ContainerSummary;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The rows of {@code wharf ps}: docker's ContainerContext fields, as text. */
public final class ContainerRows {

    public static final String DEFAULT_TABLE =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"),
            Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"), Map.entry("Ports", "PORTS"),
            Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
            Map.entry("Names", "NAMES"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"),
            Map.entry("LocalVolumes", "LOCAL VOLUMES"), Map.entry("Networks", "NETWORKS"));

    /** Go's {@code time.Time.String()} layout, in the local zone. */
    static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private ContainerRows() {
    }

    public static Map<String, Object> row(ContainerSummary c, boolean trunc, Instant now) {
        Map<String, Object> m = new TreeMap<>();
        String id = nz(c.id());
        m.put("ID", trunc && id.length() > 12 ? id.substring(0, 12) : id);
        m.put("Image", image(nz(c.image()), trunc));
        String cmd = nz(c.command());
        m.put("Command", GoTemplate.json(trunc ? Units.ellipsis(cmd, 20) : cmd));
        m.put("CreatedAt", GO_TIME.format(Instant.ofEpochSecond(c.created()).atZone(ZoneId.systemDefault())));
        m.put("RunningFor", Units.ago(c.created(), now));
        m.put("Ports", ports(c.ports()));
        m.put("State", nz(c.state()));
        m.put("Status", nz(c.status()));
        m.put("Size", size(c));
        m.put("Names", names(c.names()));
        m.put("Labels", labels(c.labels()));
        m.put("Mounts", mounts(c.mounts(), trunc));
        m.put("LocalVolumes", Long.toString(localVolumes(c.mounts())));
        m.put("Networks", networks(c.networkSettings()));
        return m;
    }

    static String image(String image, boolean trunc) {
        if (!trunc) {
            return image;
        }
        if (image.startsWith("sha256:") && image.length() == 71) {
            return image.substring(7, 19);
        }
        int at = image.indexOf('@');
        return at > 0 ? image.substring(0, at) : image;
    }

    static String names(List<String> names) {
        List<String> out = new ArrayList<>();
        if (names != null) {
            for (String n : names) {
                String s = n.startsWith("/") ? n.substring(1) : n;
                if (!s.contains("/")) {
                    out.add(s);
                }
            }
        }
        return String.join(",", out);
    }

    static String labels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> out.add(k + "=" + v));
        return String.join(",", out);
    }

    /** "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 443/tcp". */
    static String ports(List<Object> ports) {
        if (ports == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Object o : ports) {
            if (!(o instanceof Map<?, ?> p)) {
                continue;
            }
            Object priv = p.get("PrivatePort");
            Object pub = p.get("PublicPort");
            String type = p.get("Type") == null ? "tcp" : p.get("Type").toString();
            String ip = p.get("IP") == null ? "" : p.get("IP").toString();
            String s;
            if (pub instanceof Number n && n.intValue() > 0) {
                String host = ip.contains(":") ? "[" + ip + "]" : ip;
                s = host + ":" + pub + "->" + priv + "/" + type;
            } else {
                s = priv + "/" + type;
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return String.join(", ", out);
    }

    private static String size(ContainerSummary c) {
        if (c.sizeRw() == null && c.sizeRootFs() == null) {
            return "0B";
        }
        String rw = Units.humanSize(c.sizeRw() == null ? 0 : c.sizeRw(), 3);
        return c.sizeRootFs() != null && c.sizeRootFs() > 0
                ? rw + " (virtual " + Units.humanSize(c.sizeRootFs(), 3) + ")" : rw;
    }

    private static String mounts(List<Object> mounts, boolean trunc) {
        List<String> out = new ArrayList<>();
        if (mounts != null) {
            for (Object o : mounts) {
                if (o instanceof Map<?, ?> m) {
                    Object name = "volume".equals(m.get("Type")) ? m.get("Name") : m.get("Source");
                    String s = name == null ? "" : name.toString();
                    out.add(trunc ? Units.ellipsis(s, 15) : s);
                }
            }
        }
        return String.join(",", out);
    }

    private static long localVolumes(List<Object> mounts) {
        if (mounts == null) {
            return 0;
        }
        return mounts.stream().filter(o -> o instanceof Map<?, ?> m && "local".equals(m.get("Driver"))).count();
    }

    private static String networks(Map<String, Object> settings) {
        if (settings != null && settings.get("Networks") instanceof Map<?, ?> nets) {
            List<String> names = new ArrayList<>();
            nets.keySet().forEach(k -> names.add(k.toString()));
            names.sort(null);
            return String.join(",", names);
        }
        return "";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
