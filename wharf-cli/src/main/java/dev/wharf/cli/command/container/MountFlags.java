package dev.wharf.cli.command.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code -v} and {@code --mount} as the docker CLI turns them into a create request. */
final class MountFlags {

    private MountFlags() {
    }

    /** {@code -v /path} (no colon) asks for an anonymous volume: it goes to {@code Config.Volumes}. */
    static Map<String, Object> anonymousVolumes(List<String> volumes) {
        if (volumes == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String v : volumes) {
            if (!v.contains(":")) {
                m.put(v, Map.of());
            }
        }
        return m.isEmpty() ? null : m;
    }

    /** {@code -v src:dst[:opts]} go to {@code HostConfig.Binds} as given. */
    static List<String> binds(List<String> volumes) {
        if (volumes == null) {
            return null;
        }
        List<String> b = volumes.stream().filter(v -> v.contains(":")).toList();
        return b.isEmpty() ? null : b;
    }

    /** {@code --mount type=volume,source=v,target=/data,readonly,...} → a {@code HostConfig.Mounts} entry. */
    static Map<String, Object> parseMount(String spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> volumeOpts = new LinkedHashMap<>();
        Map<String, Object> bindOpts = new LinkedHashMap<>();
        Map<String, Object> tmpfsOpts = new LinkedHashMap<>();
        String type = "volume";
        for (String field : spec.split(",")) {
            int eq = field.indexOf('=');
            String k = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase();
            String v = eq < 0 ? null : field.substring(eq + 1);
            switch (k) {
                case "type" -> type = v;
                case "source", "src" -> m.put("Source", v);
                case "target", "dst", "destination" -> m.put("Target", v);
                case "readonly", "ro" -> m.put("ReadOnly", v == null || truthy(v));
                case "volume-nocopy" -> volumeOpts.put("NoCopy", v == null || truthy(v));
                case "volume-subpath" -> volumeOpts.put("Subpath", v);
                case "volume-label" -> {
                    @SuppressWarnings("unchecked")
                    Map<String, String> labels = (Map<String, String>) volumeOpts.computeIfAbsent("Labels",
                            x -> new LinkedHashMap<String, String>());
                    int e = v == null ? -1 : v.indexOf('=');
                    labels.put(e < 0 ? String.valueOf(v) : v.substring(0, e), e < 0 ? "" : v.substring(e + 1));
                }
                case "bind-propagation" -> bindOpts.put("Propagation", v);
                case "bind-create-mountpoint" -> bindOpts.put("CreateMountpoint", v == null || truthy(v));
                case "tmpfs-size" -> tmpfsOpts.put("SizeBytes", size(v));
                case "tmpfs-mode" -> tmpfsOpts.put("Mode", Integer.parseInt(v, 8));
                case "consistency" -> { }
                default -> throw new IllegalArgumentException("invalid argument \"" + spec
                        + "\" for \"--mount\" flag: unexpected key '" + k + "' in '" + field + "'");
            }
        }
        m.put("Type", type);
        if (!volumeOpts.isEmpty()) {
            m.put("VolumeOptions", volumeOpts);
        }
        if (!bindOpts.isEmpty()) {
            m.put("BindOptions", bindOpts);
        }
        if (!tmpfsOpts.isEmpty()) {
            m.put("TmpfsOptions", tmpfsOpts);
        }
        return m;
    }

    private static boolean truthy(String v) {
        return v.equalsIgnoreCase("true") || v.equals("1");
    }

    /** {@code 64m}, {@code 1g}, {@code 1024}: bytes. */
    static long size(String v) {
        String s = v.strip().toLowerCase();
        long mult = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'b') {
            s = s.substring(0, s.length() - 1);
            last = s.charAt(s.length() - 1);
        }
        switch (last) {
            case 'k' -> mult = 1024L;
            case 'm' -> mult = 1024L * 1024;
            case 'g' -> mult = 1024L * 1024 * 1024;
            default -> { }
        }
        if (mult > 1) {
            s = s.substring(0, s.length() - 1);
        }
        return (long) (Double.parseDouble(s) * mult);
    }

}
