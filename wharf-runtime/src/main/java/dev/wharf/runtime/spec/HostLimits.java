package dev.wharf.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The daemon's own hard resource limits ({@code /proc/self/limits}), which no container may exceed. */
public final class HostLimits {

    /** Names of /proc/self/limits rows, for the hard-limit check. */
    private static final Map<String, String> LIMIT_ROWS = Map.ofEntries(
            Map.entry("RLIMIT_CPU", "Max cpu time"), Map.entry("RLIMIT_FSIZE", "Max file size"),
            Map.entry("RLIMIT_DATA", "Max data size"), Map.entry("RLIMIT_STACK", "Max stack size"),
            Map.entry("RLIMIT_CORE", "Max core file size"), Map.entry("RLIMIT_RSS", "Max resident set"),
            Map.entry("RLIMIT_NPROC", "Max processes"), Map.entry("RLIMIT_NOFILE", "Max open files"),
            Map.entry("RLIMIT_MEMLOCK", "Max locked memory"), Map.entry("RLIMIT_AS", "Max address space"),
            Map.entry("RLIMIT_LOCKS", "Max file locks"), Map.entry("RLIMIT_SIGPENDING", "Max pending signals"),
            Map.entry("RLIMIT_MSGQUEUE", "Max msgqueue size"), Map.entry("RLIMIT_NICE", "Max nice priority"),
            Map.entry("RLIMIT_RTPRIO", "Max realtime priority"), Map.entry("RLIMIT_RTTIME", "Max realtime timeout"));

    private HostLimits() {}

    /** By rlimit type ({@code RLIMIT_NOFILE}); -1 for unlimited; empty when they cannot be read. */
    public static Map<String, Long> hard() {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/limits"));
            for (Map.Entry<String, String> e : LIMIT_ROWS.entrySet()) {
                for (String line : lines) {
                    if (line.startsWith(e.getValue() + " ")) {
                        String[] f = line.substring(e.getValue().length()).trim().split("\\s+");
                        out.put(e.getKey(), f[1].equals("unlimited") ? -1L : Long.parseLong(f[1]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no check then; runc reports the failure
        }
        return out;
    }
}
