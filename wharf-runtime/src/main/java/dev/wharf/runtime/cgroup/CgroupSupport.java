package dev.wharf.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which resource limits the host's cgroups can enforce, read from the cgroup filesystem as moby's
 * {@code sysinfo} does: on v1 from the control files each controller's hierarchy has; on v2 from
 * the controllers the root makes available. {@code docker info} reports these booleans; the one
 * place to ask whether a limit can be applied.
 */
public record CgroupSupport(boolean memoryLimit, boolean swapLimit, boolean kernelMemory, boolean oomKillDisable,
        boolean cpuCfsPeriod, boolean cpuCfsQuota, boolean cpuShares, boolean cpuSet, boolean pidsLimit,
        boolean blkioWeight) {

    /** The host's support, read from {@code /sys/fs/cgroup}. */
    public static CgroupSupport probe() {
        return probe(Path.of("/sys/fs/cgroup"), Cgroups.isV2());
    }

    /** The support a cgroup tree rooted at {@code root} offers (for tests: any directory). */
    public static CgroupSupport probe(Path root, boolean v2) {
        if (v2) {
            List<String> c = controllers(root.resolve("cgroup.controllers"));
            boolean memory = c.contains("memory");
            boolean cpu = c.contains("cpu");
            return new CgroupSupport(memory, memory, false, false, cpu, cpu, cpu, c.contains("cpuset"),
                    c.contains("pids"), c.contains("io"));
        }
        Path mem = root.resolve("memory");
        Path cpu = root.resolve("cpu");
        Path blkio = root.resolve("blkio");
        return new CgroupSupport(Files.exists(mem.resolve("memory.limit_in_bytes")),
                Files.exists(mem.resolve("memory.memsw.limit_in_bytes")),
                Files.exists(mem.resolve("memory.kmem.limit_in_bytes")),
                Files.exists(mem.resolve("memory.oom_control")),
                Files.exists(cpu.resolve("cpu.cfs_period_us")), Files.exists(cpu.resolve("cpu.cfs_quota_us")),
                Files.exists(cpu.resolve("cpu.shares")), Files.exists(root.resolve("cpuset").resolve("cpuset.cpus")),
                Files.exists(root.resolve("pids").resolve("pids.max")) || Files.isDirectory(root.resolve("pids")),
                Files.exists(blkio.resolve("blkio.weight")) || Files.exists(blkio.resolve("blkio.bfq.weight")));
    }

    private static List<String> controllers(Path file) {
        try {
            return List.of(Files.readString(file).trim().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
