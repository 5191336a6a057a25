package dev.wharf.compose.load;

import dev.wharf.compose.model.Service.Mount;
import dev.wharf.compose.model.Service.Port;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The short syntaxes of {@code ports} and {@code volumes}, turned into the long form. */
final class ShortSyntax {

    private ShortSyntax() {
    }

    /**
     * {@code [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]}, ports or ranges ({@code 8000-8002:80-82});
     * an IPv6 host address goes in brackets. Throws IllegalArgumentException with the reason.
     */
    static List<Port> ports(String spec) {
        String s = spec.strip();
        String protocol = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            protocol = s.substring(slash + 1).toLowerCase();
            s = s.substring(0, slash);
            if (!List.of("tcp", "udp", "sctp").contains(protocol)) {
                throw new IllegalArgumentException("invalid protocol \"" + protocol + "\"");
            }
        }
        String hostIp = null;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("invalid IPv6 address in \"" + spec + "\"");
            }
            hostIp = s.substring(1, close);
            s = s.substring(close + 2);
        }
        String[] parts = s.split(":", -1);
        String published;
        String target;
        switch (parts.length) {
            case 1 -> {
                published = null;
                target = parts[0];
            }
            case 2 -> {
                published = parts[0];
                target = parts[1];
            }
            case 3 -> {
                if (hostIp != null) {
                    throw new IllegalArgumentException("invalid port \"" + spec + "\"");
                }
                hostIp = parts[0];
                published = parts[1];
                target = parts[2];
            }
            default -> throw new IllegalArgumentException("invalid port \"" + spec + "\"");
        }
        int[] t = range(target, spec);
        int[] p = published == null || published.isEmpty() ? null : range(published, spec);
        int count = t[1] - t[0] + 1;
        if (p != null && p[1] - p[0] + 1 != count && !(count == 1)) {
            throw new IllegalArgumentException("port ranges don't match in \"" + spec + "\"");
        }
        List<Port> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String pub;
            if (p == null) {
                pub = null;
            } else if (count == 1 && p[0] != p[1]) {
                pub = p[0] + "-" + p[1];
            } else {
                pub = Integer.toString(p[0] + i);
            }
            out.add(new Port(t[0] + i, pub, hostIp == null || hostIp.isEmpty() ? null : hostIp, protocol, "ingress"));
        }
        return out;
    }

    private static int[] range(String r, String spec) {
        String[] ab = r.split("-", -1);
        try {
            int a = Integer.parseInt(ab[0].strip());
            int b = ab.length == 2 ? Integer.parseInt(ab[1].strip()) : a;
            if (ab.length > 2 || a < 0 || b > 65535 || b < a) {
                throw new NumberFormatException();
            }
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port \"" + spec + "\"");
        }
    }

    /**
     * {@code [SOURCE:]TARGET[:MODE]}: a source that starts with {@code .}, {@code /} or {@code ~}
     * is a bind (made absolute against {@code base}), another a named volume, none an anonymous
     * volume. MODE is a comma list of {@code ro}, {@code rw}, {@code z}, {@code Z}, {@code nocopy}
     * and the propagation and consistency flags.
     */
    static Mount volume(String spec, String base, String home) {
        String[] parts = spec.split(":", -1);
        String source = null;
        String target;
        String mode = null;
        switch (parts.length) {
            case 1 -> target = parts[0];
            case 2 -> {
                if (parts[1].startsWith("/")) {
                    source = parts[0];
                    target = parts[1];
                } else {
                    target = parts[0];
                    mode = parts[1];
                }
            }
            case 3 -> {
                source = parts[0];
                target = parts[1];
                mode = parts[2];
            }
            default -> throw new IllegalArgumentException("invalid volume specification \"" + spec + "\"");
        }
        if (target.isEmpty() || !target.startsWith("/")) {
            throw new IllegalArgumentException("invalid volume specification \"" + spec + "\": the target must be an absolute path");
        }
        boolean ro = false;
        Map<String, Object> bindOpts = new LinkedHashMap<>();
        Map<String, Object> volOpts = new LinkedHashMap<>();
        String consistency = null;
        if (mode != null) {
            for (String m : mode.split(",")) {
                switch (m) {
                    case "ro" -> ro = true;
                    case "rw" -> ro = false;
                    case "z", "Z" -> bindOpts.put("selinux", m);
                    case "nocopy" -> volOpts.put("nocopy", true);
                    case "shared", "rshared", "slave", "rslave", "private", "rprivate" -> bindOpts.put("propagation", m);
                    case "cached", "delegated", "consistent" -> consistency = m;
                    default -> throw new IllegalArgumentException("invalid mode \"" + m + "\" in \"" + spec + "\"");
                }
            }
        }
        if (source == null || source.isEmpty()) {
            return new Mount("volume", null, target, ro, null, volOpts, null, consistency);
        }
        if (source.startsWith(".") || source.startsWith("/") || source.startsWith("~")) {
            bindOpts.put("create_host_path", true);
            return new Mount("bind", hostPath(source, base, home), target, ro, bindOpts, null, null, consistency);
        }
        return new Mount("volume", source, target, ro, null, volOpts, null, consistency);
    }

    /** A host path made absolute: {@code ~} is the home directory, a relative path is against {@code base}. */
    static String hostPath(String p, String base, String home) {
        String s = p;
        if (s.equals("~") || s.startsWith("~/")) {
            s = home + s.substring(1);
        }
        java.nio.file.Path path = java.nio.file.Path.of(s);
        if (!path.isAbsolute()) {
            path = java.nio.file.Path.of(base).resolve(path);
        }
        return path.normalize().toString();
    }
}
