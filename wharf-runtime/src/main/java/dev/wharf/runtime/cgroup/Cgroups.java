package dev.wharf.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Detects the host's cgroup layout. A host is cgroup v2 ("unified") when {@code /sys/fs/cgroup}
 * is itself a cgroup2 mount with a {@code cgroup.controllers} file; a hybrid host (v1 controllers
 * with an empty v2 hierarchy under {@code /sys/fs/cgroup/unified}) counts as v1.
 */
public final class Cgroups {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static volatile Boolean v2;

    private Cgroups() {}

    /** Whether the host runs the unified (v2) hierarchy; computed once. */
    public static boolean isV2() {
        Boolean b = v2;
        if (b == null) {
            b = detectV2(ROOT);
            v2 = b;
        }
        return b;
    }

    /** "2" or "1", as {@code docker info} reports CgroupVersion. */
    public static String hostCgroupVersion() {
        return isV2() ? "2" : "1";
    }

    static boolean detectV2(Path root) {
        if (!Files.exists(root.resolve("cgroup.controllers"))) {
            return false;
        }
        try {
            return "cgroup2".equals(Files.getFileStore(root).type());
        } catch (IOException e) {
            return false;
        }
    }
}
