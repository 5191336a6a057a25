package dev.wharf.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's files that container statistics come from: a container's cgroup files and
 * {@code /proc}. The engine computes the figures; this reads the text (a unit test points it at
 * fixture directories).
 *
 * @param v2 whether the cgroup tree is laid out as v2 (one hierarchy) or v1 (one per controller)
 * @param cgroupRoot where the cgroup tree is mounted ({@code /sys/fs/cgroup})
 * @param procRoot where the proc file system is mounted ({@code /proc})
 */
public record KernelFiles(boolean v2, Path cgroupRoot, Path procRoot) {

    /** This host's. */
    public static KernelFiles host() {
        return new KernelFiles(Cgroups.isV2(), Path.of("/sys/fs/cgroup"), Path.of("/proc"));
    }

    /**
     * The text of {@code name} in the cgroup at {@code cgroupsPath} ({@code /wharf/<id>}), under
     * {@code controller}'s hierarchy on v1; empty when it cannot be read.
     */
    public String cgroup(String controller, String cgroupsPath, String name) {
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        Path dir = v2 ? cgroupRoot.resolve(rel) : cgroupRoot.resolve(controller).resolve(rel);
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    /** The lines of {@code /proc/<relative>}; none when it cannot be read. */
    public List<String> proc(String relative) {
        try {
            return Files.readAllLines(procRoot.resolve(relative));
        } catch (IOException e) {
            return List.of();
        }
    }
}
